"""An advisory as an OASIS CAP 1.2 message (lxml), as Google Public Alerts, MeteoAlarm and
the cell-broadcast gateways read it: one ``info`` block per language, the area as its
neighbourhoods' names and a circle around the sensor, and for an update or a cancellation
the ``references`` to every message before it of the same alert."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from lxml import etree

from civic.sensors import models as m

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
CONTENT_TYPE = "application/cap+xml"


def cap_time(at: dt.datetime) -> str:
    """CAP's date-time: local time with its offset, never "Z" (CAP 1.2, 3.3.2)."""
    return timezone.localtime(at).isoformat(timespec="seconds")


def chain(advisory: m.Advisory) -> list[m.Advisory]:
    """The issued messages ``advisory`` follows, oldest first."""
    out, before = [], advisory.supersedes
    while before is not None:
        out.append(before)
        before = before.supersedes
    return out[::-1]


def _add(parent, tag: str, text: str | None = None):
    element = etree.SubElement(parent, f"{{{CAP_NS}}}{tag}")
    if text is not None:
        element.text = text
    return element


def cap_xml(advisory: m.Advisory, *, sender_name: str = "", web: str = "") -> bytes:
    """The CAP 1.2 document of an issued advisory (a draft has no ``sent`` yet and is not
    published). ``web``: the absolute address of the advisory's page."""
    sender = settings.SENSORS_CAP_SENDER
    sent = advisory.sent or advisory.created_at
    alert = etree.Element(f"{{{CAP_NS}}}alert", nsmap={None: CAP_NS})
    _add(alert, "identifier", advisory.identifier)
    _add(alert, "sender", sender)
    _add(alert, "sent", cap_time(sent))
    _add(alert, "status", "Actual")
    _add(alert, "msgType", advisory.message_type)
    _add(alert, "scope", "Public")
    before = chain(advisory)
    if before:
        _add(
            alert,
            "references",
            " ".join(f"{sender},{b.identifier},{cap_time(b.sent or b.created_at)}" for b in before),
        )
        _add(alert, "incidents", before[0].identifier)
    cancel = advisory.message_type == m.Advisory.MessageType.CANCEL
    for language, _name in settings.LANGUAGES:
        texts = (advisory.texts or {}).get(language)
        if not texts:
            continue
        info = _add(alert, "info")
        _add(info, "language", language)
        _add(info, "category", advisory.category)
        _add(info, "event", texts.get("event") or texts.get("headline", ""))
        _add(info, "responseType", "AllClear" if cancel else "Monitor")
        _add(info, "urgency", "Past" if cancel else advisory.urgency)
        _add(info, "severity", "Minor" if cancel else advisory.severity)
        _add(info, "certainty", advisory.certainty)
        _add(info, "effective", cap_time(advisory.effective))
        if advisory.expires:
            _add(info, "expires", cap_time(advisory.expires))
        if sender_name:
            _add(info, "senderName", sender_name)
        for key in ("headline", "description", "instruction"):
            if texts.get(key):
                _add(info, key, texts[key])
        if web:
            _add(info, "web", web)
        area = _add(info, "area")
        _add(area, "areaDesc", texts.get("area") or sender_name or sender)
        if advisory.circle:
            _add(area, "circle", advisory.circle)
        for code in advisory.neighbourhoods:
            geocode = _add(area, "geocode")
            _add(geocode, "valueName", "neighbourhood")
            _add(geocode, "value", code)
    return etree.tostring(alert, xml_declaration=True, encoding="UTF-8", pretty_print=True)
