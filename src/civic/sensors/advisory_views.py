"""Public advisories under /advisories/: the warnings in force and of the last month with the
current conditions (every sensor's latest value), one
advisory's page with its history (alert, updates, cancellation), each message as a CAP 1.2
document (/advisories/<identifier>.cap) and an Atom feed of those in force
(/advisories/feed.atom), the index alert aggregators (Google Public Alerts, MeteoAlarm) read."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from civic.identity.selectors import agency_get
from civic.sensors import selectors
from civic.sensors.advisories.cap import CONTENT_TYPE, cap_xml


def _texts(advisory) -> dict[str, str]:
    """The advisory's words in the reader's language, else in the first it has."""
    texts = advisory.texts or {}
    return texts.get(translation.get_language()) or next(iter(texts.values()), {})


def _sender_name(advisory) -> str:
    agency = agency_get(code=advisory.agency) if advisory.agency else None
    return agency.name if agency else ""


def _view(advisory) -> dict:
    return {"advisory": advisory, "texts": _texts(advisory)}


def advisory_list(request: HttpRequest) -> HttpResponse:
    in_force = selectors.advisories_in_force()
    shown = {a.pk for a in in_force}
    recent = [a for a in selectors.advisories_recent() if a.pk not in shown]
    return render(
        request,
        "sensors/advisories.html",
        {
            "in_force": [_view(a) for a in in_force],
            "recent": [_view(a) for a in recent],
            "stations": selectors.stations_latest(),
        },
    )


def _published(identifier: str):
    advisory = selectors.advisory_published(identifier=identifier)
    if advisory is None:
        raise Http404(_("There is no such advisory."))
    return advisory


def advisory_page(request: HttpRequest, identifier: str) -> HttpResponse:
    advisory = _published(identifier)
    history = selectors.advisory_history(advisory=advisory)
    return render(
        request,
        "sensors/advisory.html",
        {
            **_view(advisory),
            "history": [_view(a) for a in history],
            "latest": history[-1],
            "sender_name": _sender_name(advisory),
        },
    )


def advisory_cap(request: HttpRequest, identifier: str) -> HttpResponse:
    advisory = _published(identifier)
    web = request.build_absolute_uri(reverse("advisories:page", args=[identifier]))
    document = cap_xml(advisory, sender_name=_sender_name(advisory), web=web)
    return HttpResponse(document, content_type=f"{CONTENT_TYPE}; charset=utf-8")


class AdvisoryFeed(Feed):
    """The advisories in force, newest first; each entry links to its CAP document."""

    feed_type = Atom1Feed

    def title(self):
        return _("Public advisories in force")

    def subtitle(self):
        return _("Warnings of the city to the public, as CAP 1.2 alerts.")

    def link(self):
        return reverse("advisories:list")

    def items(self):
        return selectors.advisories_in_force()

    def item_title(self, item):
        return _texts(item).get("headline", item.identifier)

    def item_description(self, item):
        return _texts(item).get("description", "")

    def item_link(self, item):
        return reverse("advisories:cap", args=[item.identifier])

    def item_guid(self, item):
        return item.identifier

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.sent

    def item_updateddate(self, item):
        return item.sent

    def item_categories(self, item):
        return [item.category, item.severity]


advisory_feed = AdvisoryFeed()
