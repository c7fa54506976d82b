"""Staff pages of the forms app: the preview of a form version, every step as residents see
it (prefilled values shown by the register they come from), and the questions that ask a
resident for something a register already holds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from civic.core.i18n import tr
from civic.forms import schema as rules
from civic.forms.prefill import prefill_sources
from civic.forms.rendering import StepForm, group_sizes
from civic.forms.selectors import version_for_staff
from civic.identity.models import Role, User
from civic.identity.selectors import sees_every_agency, staff_roles


@login_required(login_url="identity:staff-login")
def preview(request: HttpRequest, version_id: int) -> HttpResponse:
    user = request.user
    if user.kind != User.Kind.STAFF or not (
        sees_every_agency(user=user)
        or {Role.SERVICE_OWNER, Role.ADMINISTRATOR} & staff_roles(user=user)
    ):
        return render(request, "403.html", status=403)
    version = version_for_staff(user=user, version_id=version_id)
    if version is None:
        raise Http404
    steps = []
    for step in version.schema["steps"]:
        fields = step["fields"]
        form = StepForm(fields_spec=fields, group_sizes=group_sizes(fields, {}), prefix=step["key"])
        steps.append(
            {
                "title": tr(step["title"]),
                "condition": step.get("show_if"),
                "prefilled": [
                    {
                        "label": tr(f["label"]),
                        "binding": f["prefill"],
                        "register": prefill_sources[f["prefill"]].register,
                    }
                    for f in fields
                    if f["type"] == "prefill"
                ],
                "layout": form.layout(),
                "conditions": {f["key"]: f["show_if"] for f in fields if f.get("show_if")},
            }
        )
    return render(
        request,
        "forms/preview.html",
        {
            "version": version,
            "title": tr(version.form.title),
            "steps": steps,
            "retyped": rules.retyped_questions(version.schema),
        },
    )
