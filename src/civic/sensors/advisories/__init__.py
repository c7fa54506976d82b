"""Public advisories as OASIS CAP 1.2: drafted by the rules' events (issuing.py), written in
both languages (texts.py), published as CAP documents and an Atom feed (cap.py, views in
sensors.advisory_views) and delivered to the residents of the area (delivery.py)."""
