"""Insights: service KPIs and forecasts of demand (docs/insights.md)."""
