"""Every training template, six per document type, each in English and Dutch.

The templates of one type are written independently (their own wording, fields and layout), so
that holding one out in the evaluation measures a layout and wording the classifier never saw.
"""

from __future__ import annotations

from civic.documents.training.templates import (
    claims,
    fifth_claims_records,
    fifth_housing_letters,
    housing,
    letters,
    records,
    sixth_claims_records,
    sixth_housing_letters,
)
from civic.documents.training.templates.base import Template

TEMPLATES: tuple[Template, ...] = (
    claims.TEMPLATES
    + records.TEMPLATES
    + housing.TEMPLATES
    + letters.TEMPLATES
    # The fifth and sixth templates of every type, written later: with six, each fold of the
    # evaluation learns from five ways of writing a type, not three.
    + fifth_claims_records.TEMPLATES
    + fifth_housing_letters.TEMPLATES
    + sixth_claims_records.TEMPLATES
    + sixth_housing_letters.TEMPLATES
)
BY_ID: dict[str, Template] = {template.id: template for template in TEMPLATES}

__all__ = ["BY_ID", "TEMPLATES", "Template"]
