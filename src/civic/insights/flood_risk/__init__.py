"""The chance of high water per neighbourhood, from the river gauges' water levels and the
rain gauges' rainfall (docs/insights.md, "Flood risk"): features.py says what the model
knows, model.py how it learns and is scored (Brier score against climatology, reliability),
readings.py what it reads, services.py the training and the hourly assessment that feeds the
sensor advisories, selectors.py what the page shows."""
