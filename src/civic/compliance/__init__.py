"""Privacy oversight for the data protection officer: access anomaly review (alerts about
partner systems walking the registers or reading unusual volumes)."""
