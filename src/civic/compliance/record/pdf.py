"""The record of processing activities as a PDF, for the data protection officer to file or
hand to the supervisory authority: tagged text in reading order with reportlab's platypus,
as the receipt of a submission is made (civic.forms.receipt)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.dateformat import format as date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from civic.compliance.record import recipient_said

RULE = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#b1b4b6")]


def _table(rows: list[list[str]], styles, widths=(50 * mm, 120 * mm)) -> Table:
    table = Table(
        [[Paragraph(escape(str(cell)), styles["Normal"]) for cell in row] for row in rows],
        colWidths=list(widths),
    )
    table.setStyle(TableStyle(RULE))
    return table


def _activity(entry: dict[str, Any], styles) -> list:
    story = [
        Paragraph(escape(f"{entry['name']} ({entry['code']})"), styles["Heading2"]),
        Paragraph(escape(entry["description"]), styles["Normal"]),
        Spacer(1, 2 * mm),
        _table(
            [
                [_("Controller"), entry["controller_name"]],
                [_("Legal ground"), entry["legal_ground_label"]],
                [_("Legal basis"), entry["legal_basis"]],
                [_("Data subjects"), ", ".join(entry["data_subjects"]) or "–"],
                [
                    _("Confidential"),
                    _("yes, shown to the resident after %(days)s days")
                    % {"days": entry["embargo_days"]}
                    if entry["confidential"]
                    else _("no"),
                ],
            ],
            styles,
        ),
        Paragraph(escape(_("Categories of personal data")), styles["Heading3"]),
    ]
    rows = [
        [
            f"{category['register_name']} ({category['authority_name'] or category['authority']})",
            f"{attribute['description']} [{attribute['name']}, {attribute['classification']}]",
        ]
        for category in entry["data_categories"]
        for attribute in category["attributes"]
    ]
    story.append(_table(rows, styles) if rows else Paragraph("–", styles["Normal"]))
    story.append(Paragraph(escape(_("Recipients")), styles["Heading3"]))
    rows = [
        [recipient_said(r), f"{r['register']}: {', '.join(r['attributes'])}"]
        for r in entry["recipients"]
    ]
    story.append(_table(rows, styles) if rows else Paragraph("–", styles["Normal"]))
    story.append(Paragraph(escape(_("Retention")), styles["Heading3"]))
    rows = [[p["description"], ", ".join(p["attributes"])] for p in entry["retention"]]
    story.append(_table(rows, styles) if rows else Paragraph("–", styles["Normal"]))
    return story


def processing_record_pdf(*, record: dict[str, Any], language: str | None = None) -> bytes:
    with translation.override(language or translation.get_language()):
        styles = getSampleStyleSheet()
        buffer = io.BytesIO()
        title = _("Record of processing activities")
        if record["controller_name"]:
            title = f"{title} – {record['controller_name']}"
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            title=title,
            author="Civic",
            lang=translation.get_language(),
            leftMargin=20 * mm,
            rightMargin=20 * mm,
        )
        story = [
            Paragraph(escape(title), styles["Title"]),
            Paragraph(
                escape(
                    _("Generated on %(date)s from the purposes, grants and register catalogue.")
                    % {"date": date_format(localtime(record["generated_at"]), "j F Y, H:i")}
                ),
                styles["Normal"],
            ),
            Spacer(1, 6 * mm),
        ]
        for entry in record["purposes"]:
            story += _activity(entry, styles)
        document.build(story)
        return buffer.getvalue()
