"""What other apps add to the backlog page, below its own figures.

The cases app lies below the apps that read its figures (insights forecasts the demand of a
kind of case and the staffing it asks for), so the backlog page cannot ask them; they add
their panels here when Django starts (their ``AppConfig.ready``). A panel is given the request
and the kind of case shown ("" for all) and returns its HTML, or "" to show nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

BacklogPanel = Callable[[HttpRequest, str], SafeString]

_panels: list[BacklogPanel] = []


def backlog_panel_add(panel: BacklogPanel) -> None:
    """Show ``panel`` on the backlog page (once, however often an app starts)."""
    if panel not in _panels:
        _panels.append(panel)


def backlog_panels(request: HttpRequest, case_type: str) -> list[SafeString]:
    """The panels' HTML for this request, in the order the apps added them, empty ones left out."""
    return [html for html in (panel(request, case_type) for panel in _panels) if html]
