"""The upload scanners shipped with Civic; each module registers one."""
