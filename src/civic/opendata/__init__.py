"""Open data: datasets defined as code, versioned, published as CSV, JSON and Parquet with a
Frictionless descriptor, behind disclosure control; read by CKAN clients (the Action API) and
DCAT-AP harvesters. See docs/opendata.md."""
