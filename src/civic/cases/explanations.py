"""What the rules said about a case, for the staff case page.

The rules (the decisions app) lie above cases: they open, decide and route cases through
``cases.services``. So the case page does not import them; it asks through this hook, which the
decisions app fills when Django starts (``DecisionsConfig.ready``). Without the decisions app a
case has no rules' explanation, and the page shows none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Explainer = Callable[..., dict[str, Any] | None]

_explainer: Explainer | None = None


def explainer_set(explainer: Explainer) -> None:
    """``explainer(reference=..., with_shadow=...)`` gives the explanation or None."""
    global _explainer
    _explainer = explainer


def case_explanation(*, reference: str, with_shadow: bool = False) -> dict[str, Any] | None:
    if _explainer is None:
        return None
    return _explainer(reference=reference, with_shadow=with_shadow)
