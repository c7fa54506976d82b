"""A jurisdiction's set-up as code: agencies, purposes, grants, teams, case types, the
catalogue, forms and the rules' set-up, read from a versioned YAML file, checked, and applied
through every app's public services (`civic setup apply`).

At the top of the import layers beside the portal: it may import every app's services and
selectors; nothing imports it.
"""
