"""Staff's second factor: an authenticator app (TOTP, RFC 6238) asked for after the password,
with one-time recovery codes.

``codes.py`` holds the pure parts (seeds, codes by time step, recovery codes, the QR code),
``sealing.py`` the seed's encryption at rest, ``services.py`` every write, ``session.py`` what a
login's session carries between the password and the code, ``views.py`` the pages.
"""
