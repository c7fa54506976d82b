"""A model field for a number that is stored encrypted (core.fieldcrypt) in its own column.

A ciphertext is text, so the column is text: a clear value reads back as an ``int``, a sealed
one as the stored text, which the register's reader opens with its row as associated data
(registers.sealing.value_open). Nothing can sum, compare or sort such a value inside the
database any more; that is the point of sealing it, and the code that needs the figures opens
them in Python (exchange.population.statements adds incomes up that way).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from civic.core import fieldcrypt

#: Digits and sign of the largest 64-bit integer, sealed.
_LENGTH = 20 + fieldcrypt.OVERHEAD


class SealableIntegerField(models.CharField):
    description = _("Integer, encrypted at rest")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", _LENGTH)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == _LENGTH:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or isinstance(value, int) or fieldcrypt.is_sealed(value):
            return value
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValidationError(
                _("“%(value)s” is not a whole number."), code="invalid", params={"value": value}
            ) from None

    def get_prep_value(self, value):
        value = self.to_python(value)
        return value if value is None or isinstance(value, str) else str(value)
