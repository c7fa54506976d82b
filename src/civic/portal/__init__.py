"""Resident-facing pages. Composes other apps' selectors and services; holds no rules of its own
and is imported by nobody."""
