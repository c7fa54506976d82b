"""The public algorithm register: a page per entry in the page's language, and the same entries
as JSON documents of the Dutch publication standard (``?lang=nl|en``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic.core.errors import problem_response
from civic.decisions import algorithm_register as register
from civic.exchange.selectors import purposes_list

LABELS = {
    "name": gettext_lazy("Name"),
    "organization": gettext_lazy("Organisation"),
    "description_short": gettext_lazy("Short description"),
    "category": gettext_lazy("Theme"),
    "status": gettext_lazy("Status"),
    "begin_date": gettext_lazy("In use since"),
    "end_date": gettext_lazy("Out of use since"),
    "contact_email": gettext_lazy("Contact"),
    "website": gettext_lazy("Public page"),
    "publication_category": gettext_lazy("Publication category"),
    "url": gettext_lazy("Link to this registration (JSON)"),
    "goal": gettext_lazy("Goal and impact"),
    "proportionality": gettext_lazy("Considerations"),
    "human_intervention": gettext_lazy("Human intervention and objection"),
    "risks": gettext_lazy("Risk management and monitoring"),
    "lawful_basis": gettext_lazy("Legal basis"),
    "lawful_basis_grouping": gettext_lazy("Legal references"),
    "process_index_url": gettext_lazy("Record of processing activities"),
    "impacttoetsen": gettext_lazy("About the impact assessments"),
    "impacttoetsen_grouping": gettext_lazy("Impact assessments"),
    "source_data": gettext_lazy("Data"),
    "source_data_grouping": gettext_lazy("Data sources"),
    "methods_and_models": gettext_lazy("How it works technically"),
    "provider": gettext_lazy("Supplier"),
    "publiccode": gettext_lazy("Source code"),
}
GROUP_LABELS = {
    "general": gettext_lazy("General information"),
    "responsible-use": gettext_lazy("Responsible use"),
    "operation": gettext_lazy("How it works"),
}
KIND_LABELS = {"rule-set": gettext_lazy("Rule set"), "model": gettext_lazy("Model")}
#: The standard's values are Dutch codes; pages show them in the page's language.
VALUE_LABELS = {
    "In ontwikkeling": gettext_lazy("In development"),
    "In gebruik": gettext_lazy("In use"),
    "Buiten gebruik": gettext_lazy("Out of use"),
    "Hoog-risico AI-systeem": gettext_lazy("High-risk AI system"),
    "Impactvolle algoritmes": gettext_lazy("Impactful algorithm"),
    "Overige algoritmes": gettext_lazy("Other algorithm"),
    "Organisatie en bedrijfsvoering": gettext_lazy("Organisation and operations"),
    "Cultuur en recreatie": gettext_lazy("Culture and recreation"),
    "Economie": gettext_lazy("Economy"),
    "Overheidsfinanciën": gettext_lazy("Public finance"),
    "Wonen": gettext_lazy("Housing"),
    "Internationaal": gettext_lazy("International"),
    "Migratie en integratie": gettext_lazy("Migration and integration"),
    "Natuur en milieu": gettext_lazy("Nature and environment"),
    "Onderwijs en wetenschap": gettext_lazy("Education and science"),
    "Openbare orde en veiligheid": gettext_lazy("Public order and safety"),
    "Recht": gettext_lazy("Law"),
    "Ruimte en infrastructuur": gettext_lazy("Spatial planning and infrastructure"),
    "Sociale zekerheid": gettext_lazy("Social security"),
    "Verkeer": gettext_lazy("Traffic"),
    "Werk": gettext_lazy("Work"),
    "Zorg en gezondheid": gettext_lazy("Care and health"),
}
#: How a field is shown: "text" (paragraphs), "links" (title and link), "list" (values),
#: "value" (a code of the standard), "email", "link"; anything else is plain.
DISPLAY = {
    "goal": "text",
    "proportionality": "text",
    "human_intervention": "text",
    "risks": "text",
    "lawful_basis": "text",
    "impacttoetsen": "text",
    "source_data": "text",
    "methods_and_models": "text",
    "lawful_basis_grouping": "links",
    "impacttoetsen_grouping": "links",
    "source_data_grouping": "links",
    "category": "list",
    "status": "value",
    "publication_category": "value",
    "contact_email": "email",
    "website": "link",
    "url": "link",
    "process_index_url": "link",
    "publiccode": "link",
}


def _page_language() -> str:
    return register.language_of(translation.get_language())


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _row(document: dict[str, Any], field: str) -> dict[str, Any] | None:
    value = document.get(field)
    empty = value in (None, "", [])
    if empty and field not in register.SHOW_ALWAYS:
        return None
    display = DISPLAY.get(field, "plain")
    if display == "value" and not empty:
        value = VALUE_LABELS.get(value, value)
    elif display == "list" and not empty:
        value = [VALUE_LABELS.get(item, item) for item in value]
    return {"field": field, "label": LABELS[field], "value": value, "display": display}


def index(request: HttpRequest) -> HttpResponse:
    language = _page_language()
    entries = []
    for algorithm in register.algorithms_list():
        document = register.algorithm_document(algorithm, language=language)
        entries.append(
            {
                "slug": algorithm.slug,
                "kind": KIND_LABELS[algorithm.kind],
                "name": document["name"],
                "organization": document["organization"],
                "description_short": document["description_short"],
                "status": VALUE_LABELS.get(document["status"], document["status"]),
                "publication_category": VALUE_LABELS.get(
                    document["publication_category"], document["publication_category"]
                ),
            }
        )
    return render(
        request,
        "decisions/algorithms/index.html",
        {
            "entries": entries,
            "language": language,
            "standard_name": register.STANDARD_NAME,
            "standard_version": register.STANDARD_VERSION,
        },
    )


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    algorithm = register.algorithm_get(slug=slug)
    if algorithm is None:
        raise Http404
    language = _page_language()
    document = register.algorithm_document(
        algorithm, language=language, base_url=_base_url(request)
    )
    summary = [
        {"field": "kind", "label": _("Type"), "value": KIND_LABELS[algorithm.kind]},
        *filter(None, (_row(document, field) for field in register.SUMMARY)),
    ]
    groups = [
        {
            "key": key,
            "label": GROUP_LABELS[key],
            "rows": [row for row in (_row(document, field) for field in fields) if row],
        }
        for key, fields in register.GROUPS
    ]
    other = "nl" if language == "en" else "en"
    return render(
        request,
        "decisions/algorithms/detail.html",
        {
            "algorithm": algorithm,
            "document": document,
            "summary": summary,
            "groups": groups,
            "language": language,
            "other_language": other,
            "standard_name": register.STANDARD_NAME,
            "standard_version": register.STANDARD_VERSION,
        },
    )


def _problem(request: HttpRequest, *, status: int, title: str, detail: str) -> JsonResponse:
    code = "not-found" if status == 404 else "bad-request"
    return problem_response(request, status=status, title=title, detail=detail, code=code)


def _json(document: dict[str, Any]) -> JsonResponse:
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})


def _json_language(request: HttpRequest) -> str | None:
    asked = request.GET.get("lang")
    if asked is None:
        return _page_language()
    return asked if asked in register.LANGUAGES else None


def _language_refused(request: HttpRequest) -> HttpResponse:
    return _problem(
        request,
        status=400,
        title=_("Bad request"),
        detail=_("The language (lang) must be nl or en."),
    )


def entry_json(request: HttpRequest, slug: str) -> HttpResponse:
    algorithm = register.algorithm_get(slug=slug)
    if algorithm is None:
        return _problem(
            request,
            status=404,
            title=_("Not found"),
            detail=_("There is no algorithm %(slug)s in the register.") % {"slug": slug},
        )
    language = _json_language(request)
    if language is None:
        return _language_refused(request)
    return _json(
        register.algorithm_document(algorithm, language=language, base_url=_base_url(request))
    )


def register_json(request: HttpRequest) -> HttpResponse:
    language = _json_language(request)
    if language is None:
        return _language_refused(request)
    return _json(register.register_document(language=language, base_url=_base_url(request)))


def assessment(request: HttpRequest, slug: str) -> HttpResponse:
    """An entry's impact assessments (DPIA and IAMA) as a page, anchored #dpia and #iama."""
    algorithm = register.algorithm_get(slug=slug)
    language = _page_language()
    found = algorithm is not None
    blocks = register.assessment_get(slug=slug, language=language) if found else None
    if blocks is None:
        raise Http404
    document = register.algorithm_document(algorithm, language=language)
    return render(
        request,
        "decisions/algorithms/assessment.html",
        {"algorithm": algorithm, "document": document, "blocks": blocks, "language": language},
    )


def processing(request: HttpRequest) -> HttpResponse:
    """The record of processing activities (AVG art. 30), public: every purpose personal
    data is read for, with its controller, legal ground and legal basis."""
    dutch = _page_language() == "nl"
    purposes = [
        {
            "code": p.code,
            "name": (p.name_nl if dutch and p.name_nl else p.name),
            "description": (p.description_nl if dutch and p.description_nl else p.description),
            "controller": (
                p.controller.name_nl if dutch and p.controller.name_nl else p.controller.name
            ),
            "legal_ground": p.get_legal_ground_display(),
            "legal_basis": p.legal_basis,
        }
        for p in purposes_list()
        if not p.confidential
    ]
    return render(request, "decisions/algorithms/processing.html", {"purposes": purposes})


def publiccode(request: HttpRequest) -> HttpResponse:
    """Civic's publiccode.yml: the software, its version and its licence."""
    url = register.source_code_url(_base_url(request))
    return HttpResponse(
        register.publiccode_text(url=url), content_type="application/yaml; charset=utf-8"
    )
