from django import template

from civic.core.formats import date_text, moment_text, money_text, number_text
from civic.core.i18n import tr as translate_value

register = template.Library()


@register.filter
def tr(value):
    """``{{ service.name|tr }}``: the text in the page's language."""
    return translate_value(value)


@register.filter
def money(value, cents=None):
    """``{{ amount|money }}``: euros as the page's language writes them ("€10,350", "€ 10.350");
    ``|money:True`` always with cents."""
    if value in (None, ""):
        return ""
    return money_text(value, cents=cents)


@register.filter
def number(value):
    """``{{ count|number }}``: grouped in thousands as the page's language writes them."""
    if value in (None, ""):
        return ""
    return number_text(value)


@register.filter
def day(value):
    """``{{ value|day }}``: a date, moment or ISO date string as "8 February 1969"."""
    return date_text(value)


@register.filter
def moment(value):
    """``{{ value|moment }}``: a moment in local time, "4 December 2026, 06:28"."""
    return moment_text(value)
