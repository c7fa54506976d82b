"""Setup for the identity tests: a fast password hasher, since staff tests log in dozens of times."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production's PBKDF2 costs about half a second a login; what is tested here is who may log
    # in, not the cost of the hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
