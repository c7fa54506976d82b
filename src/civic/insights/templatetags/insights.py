from django import template

from civic.core.formats import number_text

register = template.Library()


@register.filter
def percent(value):
    """``{{ rate|percent }}``: a share as a whole percentage ("87 %"); a dash when unknown."""
    if value is None:
        return "–"
    return f"{number_text(round(100 * value))} %"


@register.filter
def days(value):
    """``{{ median|days }}``: a number of days with one decimal; a dash when unknown."""
    if value is None:
        return "–"
    return number_text(value)
