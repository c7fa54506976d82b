"""The SMS providers shipped with Civic; each module registers one."""
