"""Celery tasks of insights (CELERY_BEAT_SCHEDULE): the daily digital-maturity index, the hourly
flood-risk assessment and the weekly training of its model. Each only calls services."""

from __future__ import annotations

import logging

from celery import shared_task

from civic.insights.flood_risk.services import (
    FloodRiskRefused,
    flood_risk_assess,
    flood_risk_train,
)
from civic.insights.services import maturity_record

log = logging.getLogger(__name__)


@shared_task(name="civic.insights.maturity_record")
def maturity_record_task() -> float | None:
    return maturity_record().index


@shared_task(name="civic.insights.flood_risk_assess")
def flood_risk_assess_task() -> dict[str, float]:
    """Each gauge's chance of high water this hour; nothing (logged) without a model."""
    try:
        return {str(a.datastream_id): a.probability for a in flood_risk_assess()}
    except FloodRiskRefused as refused:
        log.warning("flood risk not assessed: %s", refused)
        return {}


@shared_task(name="civic.insights.flood_risk_train")
def flood_risk_train_task() -> float | None:
    """The model trained again on the stored readings; its Brier skill, or None if refused."""
    try:
        return flood_risk_train().evaluation.get("skill")
    except FloodRiskRefused as refused:
        log.warning("flood-risk model not trained: %s", refused)
        return None
