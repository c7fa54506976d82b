"""``{{ service.cost|tr|facts:service.code }}``: a catalogue text with its facts filled in."""

from django import template

from civic.catalog.facts import text_render

register = template.Library()


@register.filter
def facts(text, service_code: str) -> str:
    return text_render(str(text or ""), service_code=service_code)
