"""The demo city's sensors, simulated (`civic sensors simulate`): a network of stations and
the readings they would send, with the weather that drives them (docs/sensors.md)."""
