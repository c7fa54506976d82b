"""Smart-city sensing: the OGC SensorThings API 1.1 and an observation store built for volume."""
