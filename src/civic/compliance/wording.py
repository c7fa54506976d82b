"""How an access alert is put into words, on its page and in the officer's e-mail alike."""

from __future__ import annotations

from django.utils.translation import gettext as _

from civic.compliance.models import AccessAlert


def _walk_names() -> dict[str, str]:
    return {
        "address-identifiers": _("address identifiers"),
        "personal-numbers": _("personal numbers"),
        "business-numbers": _("business numbers"),
        "birth-dates": _("birth dates of one family name"),
    }


def counts_shown(alert: AccessAlert) -> list[tuple[str, str]]:
    """The alert's counts as (what, how many) lines, in the active language."""
    counts, lines = alert.counts, []
    if alert.kind == AccessAlert.Kind.SEQUENTIAL:
        names = _walk_names()
        walks = counts.get("walks") or [counts.get("walk")]
        lines.append((_("Identifiers walked"), ", ".join(names.get(w, str(w)) for w in walks if w)))
        if "distinct_in_block" in counts:
            lines.append(
                (
                    _("Distinct identifiers asked in one block of %(block)s consecutive ones")
                    % {"block": counts.get("block", "?")},
                    str(counts["distinct_in_block"]),
                )
            )
        lines.append((_("Blocks walked in this window"), str(counts.get("blocks", 1))))
        return lines
    labels = {
        "subjects_today": _("Subjects released to the client that day"),
        "limit_per_day": _("The client's limit a day"),
        "share_of_limit": _("Alert at (share of the limit a day)"),
        "baseline": _("The client's average a day over the week before"),
        "over_baseline": _("Alert at (times its average)"),
    }
    return [(label, str(counts[key])) for key, label in labels.items() if key in counts]


def kind_said(alert: AccessAlert) -> str:
    if alert.kind == AccessAlert.Kind.SEQUENTIAL:
        return _("The client walked over consecutive identifiers")
    return _("The client was released an unusual number of subjects")
