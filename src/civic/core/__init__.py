"""The shared kernel: ids and check digits, clock, settings helper, errors.

Imports no other Civic app (an import-linter contract holds this).
"""
