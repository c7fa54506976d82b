"""Reads of retention runs and key rotations for the data protection officer's page: each run
with only the results of the DPO's own agency (registers by their authority, case types by
their owner)."""

from __future__ import annotations

from civic.compliance.retention.models import KeyRotation, RetentionRun


def retention_runs_list(*, user, limit: int = 20) -> list[dict]:
    code = user.agency.code if getattr(user, "agency", None) else None
    out = []
    for run in RetentionRun.objects.all()[:limit]:
        out.append(
            {
                "run": run,
                "results": [r for r in run.results if r.get("agency") == code],
                "kept": [k for k in run.kept if k.get("agency") == code],
                "removed": sum(r["count"] for r in run.results if r.get("agency") == code),
            }
        )
    return out


def key_rotation_latest() -> KeyRotation | None:
    return KeyRotation.objects.first()
