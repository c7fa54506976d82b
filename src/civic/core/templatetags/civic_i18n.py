from django import template

from civic.core.i18n import tr as translate_value

register = template.Library()


@register.filter
def tr(value):
    """``{{ service.name|tr }}``: the text in the page's language."""
    return translate_value(value)
