"""Settings of insights (gathered by ``civic.settings``); imports nothing but ``core.config``."""

from __future__ import annotations

from civic.core.config import env

INSIGHTS_FLOOD_RISK_HOURS_AHEAD = env(
    "CIVIC_INSIGHTS_FLOOD_RISK_HOURS_AHEAD",
    default=12,
    kind=int,
    help="The flood-risk forecast gives the chance that a river gauge goes above its high-water "
    "line (its rule's level) within this many hours. A change takes effect at the next "
    "training (civic insights flood-risk train).",
    group="Insights",
)
INSIGHTS_FLOOD_RISK_ADVISORY_PROBABILITY = env(
    "CIVIC_INSIGHTS_FLOOD_RISK_ADVISORY_PROBABILITY",
    default=0.5,
    kind=float,
    help="From this chance of high water on, the hourly assessment drafts a CAP advisory for the "
    "gauge's neighbourhoods (certainty Likely above 0.5, else Possible) for a city operator to "
    "issue; below half of it the draft is withdrawn. Above 1: no advisories from the forecast.",
    group="Insights",
)
INSIGHTS_FLOOD_RISK_TRAINING_DAYS = env(
    "CIVIC_INSIGHTS_FLOOD_RISK_TRAINING_DAYS",
    default=730,
    kind=int,
    help="Days of readings the flood-risk model learns from (hourly, from raw readings and "
    "their hourly aggregates): the first 60 % to learn, the next 20 % to calibrate, the last "
    "20 % to score it.",
    group="Insights",
)
INSIGHTS_FLOOD_RISK_WATER_LEVEL = env(
    "CIVIC_INSIGHTS_FLOOD_RISK_WATER_LEVEL",
    default="http://vocabs.lter-europe.net/EnvThes/21640",
    help="The ObservedProperty definition of river gauges' water levels; a gauge counts when "
    "an active rule of its datastream has a level (the high-water line).",
    group="Insights",
)
INSIGHTS_FLOOD_RISK_RAINFALL = env(
    "CIVIC_INSIGHTS_FLOOD_RISK_RAINFALL",
    default="http://vocab.nerc.ac.uk/standard_name/rainfall_rate/",
    help="The ObservedProperty definition of rain gauges (mm/h); with several, their mean per "
    "hour is the city's rain.",
    group="Insights",
)
INSIGHTS_WEATHER_AIR_TEMPERATURE = env(
    "CIVIC_INSIGHTS_WEATHER_AIR_TEMPERATURE",
    default="http://vocab.nerc.ac.uk/standard_name/air_temperature/",
    help="The ObservedProperty definition of the city's air-temperature sensors; the day's mean "
    "of them is a weather covariate of the demand and sensor-stream forecasts, with the day's "
    "rain from the rain gauges (CIVIC_INSIGHTS_FLOOD_RISK_RAINFALL), when they cover the "
    "history.",
    group="Insights",
)

#: Periodic work of insights, for `celery -A civic beat`: the day's digital-maturity index, the
#: hourly flood-risk assessment and the weekly training of its model.
INSIGHTS_BEAT_SCHEDULE = {
    "insights-maturity-daily": {
        "task": "civic.insights.maturity_record",
        "schedule": 24 * 3600.0,
        "options": {"expires": 3600.0},
    },
    "insights-flood-risk-hourly": {
        "task": "civic.insights.flood_risk_assess",
        "schedule": 3600.0,
        "options": {"expires": 1800.0},
    },
    "insights-flood-risk-weekly": {
        "task": "civic.insights.flood_risk_train",
        "schedule": 7 * 24 * 3600.0,
        "options": {"expires": 6 * 3600.0},
    },
}
