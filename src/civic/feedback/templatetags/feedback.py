"""``{% feedback_form "page-useful" service_code step %}``: the feedback form below any page,
sent back to that page's address after the thank-you."""

from django import template

from civic.feedback.models import SATISFACTION

register = template.Library()


@register.inclusion_tag("feedback/_form.html", takes_context=True)
def feedback_form(context, kind: str, service_code: str, step: str = "") -> dict:
    request = context["request"]
    return {
        "csrf_token": context.get("csrf_token"),
        "fb_kind": kind,
        "fb_service": service_code,
        "fb_step": step,
        "fb_next": request.get_full_path(),
        "fb_form": None,
        "satisfaction": SATISFACTION,
    }
