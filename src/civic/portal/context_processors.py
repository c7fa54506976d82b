"""Whom the logged-in resident is acting for, for the banner on every page."""

from __future__ import annotations


def acting(request) -> dict:
    session = getattr(request, "session", None)
    person = session.get("civic.portal.acting_for", "") if session is not None else ""
    if not person:
        return {"acting_for_name": "", "acting_for_masked": ""}
    return {
        # The name read when acting started; the masked number where the register has none.
        "acting_for_name": session.get("civic.portal.acting_for_name", ""),
        "acting_for_masked": f"{person[:3]}***{person[-2:]}",
    }
