"""The PDF copy of a submission's answers that goes with the receipt in the resident's inbox.

Tagged text in reading order (reportlab's platypus), the answers grouped by step as on the
check-your-answers page, each prefilled value with the register it came from.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from civic.core.formats import date_text, moment_text
from civic.core.i18n import tr
from civic.forms.models import Submission
from civic.forms.selectors import answer_rows


def receipt_pdf(*, submission: Submission) -> bytes:
    with translation.override(submission.language):
        return _render(submission)


def _render(submission: Submission) -> bytes:
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    form = submission.version.form
    title = tr(form.title)
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{title} – {submission.reference}",
        author="Civic",
        lang=submission.language,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
    )
    story = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(
            escape(_("Reference: %(reference)s") % {"reference": submission.reference}),
            styles["Normal"],
        ),
        Paragraph(
            escape(
                _("Sent on %(date)s")
                # In the jurisdiction's time zone and the reader's words, as the inbox shows it.
                % {"date": moment_text(submission.submitted_at)}
            ),
            styles["Normal"],
        ),
        Spacer(1, 6 * mm),
    ]
    for step in answer_rows(
        schema=submission.version.schema, answers=submission.answers, prefilled=submission.prefilled
    ):
        story.append(Paragraph(escape(step["title"]), styles["Heading2"]))
        rows = []
        for row in step["rows"]:
            value = escape(row["value"] or "–")
            if row.get("source"):
                value += (
                    "<br/><font size=8>"
                    + escape(
                        _("From the %(register)s register, %(date)s")
                        % {
                            "register": row["source"]["register"],
                            "date": date_text(row["source"].get("as_of")) or "–",
                        }
                    )
                    + "</font>"
                )
            rows.append(
                [
                    Paragraph(escape(row["label"]), styles["Normal"]),
                    Paragraph(value, styles["Normal"]),
                ]
            )
        if rows:
            table = Table(rows, colWidths=[65 * mm, 105 * mm])
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#b1b4b6"),
                    ]
                )
            )
            story.append(table)
    document.build(story)
    return buffer.getvalue()
