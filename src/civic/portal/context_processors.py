"""Whom the logged-in resident is acting for, for the banner on every page."""

from __future__ import annotations


def acting(request) -> dict:
    person = (
        request.session.get("civic.portal.acting_for", "") if hasattr(request, "session") else ""
    )
    return {"acting_for_masked": f"{person[:3]}***{person[-2:]}" if person else ""}
