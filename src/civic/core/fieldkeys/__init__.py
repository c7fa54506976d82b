"""Keys for field-level encryption: where they come from (a key file, a KMS) and which one is
current. ``base`` is the interface, ``registry`` picks one by CIVIC_FIELD_KEYS, ``contrib``
ships the key file. Imports only the kernel."""
