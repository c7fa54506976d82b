"""Identity: agencies (tenants), staff and their roles, residents' accounts, API clients, login.

May import ``civic.core`` and other apps' ``services``/``selectors``; never register tables.
"""
