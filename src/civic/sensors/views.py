"""The SensorThings API 1.1 under /sta/v1.1/: one view reads the resource path
(``Datastreams(1)/Observations``), the query options and the method, and answers JSON in the
standard's shape; errors are ``{"code", "type": "error", "message"}`` as FROST-Server sends."""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from civic.sensors import services
from civic.sensors.entities import SETS, EntityError, EntitySet
from civic.sensors.observations_api import observations_create_batch
from civic.sensors.query import Options, filter_apply, options_parse, orderby_apply

ROOT = "/sta/v1.1"
CONFORMANCE = [
    "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/data-array/data-array",
]
_SEGMENT = re.compile(r"^(?P<name>[A-Za-z]+)(?:\((?P<id>\d+)\))?$")


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"code": status, "type": "error", "message": message}, status=status)


def _write_refusal(request: HttpRequest) -> JsonResponse | None:
    """Reads are open data; a write needs CIVIC_SENSORS_WRITE_KEY, as a Basic password (what
    FROST's client sends through its AuthHandler) or a bearer token."""
    key = settings.SENSORS_WRITE_KEY
    if not key:
        return _error(
            403, "This SensorThings API is read-only (CIVIC_SENSORS_WRITE_KEY is not set)."
        )
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            given = base64.b64decode(given, validate=True).decode().partition(":")[2]
        except (binascii.Error, UnicodeDecodeError):
            given = ""
    elif scheme.lower() != "bearer":
        given = ""
    if given and hmac.compare_digest(given.encode(), key.encode()):
        return None
    response = _error(401, "Writing needs the API's write key.")
    response["WWW-Authenticate"] = 'Basic realm="SensorThings"'
    return response


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri(ROOT)


def entity_json(request, entity_set: EntitySet, obj: Model, opts: Options) -> dict:
    base = _base(request)
    self_link = f"{base}/{entity_set.name}({obj.pk})"
    out: dict = {"@iot.id": obj.pk, "@iot.selfLink": self_link}
    selected = set(opts.select or [])
    for prop in entity_set.props:
        if not selected or prop.name in selected:
            out[prop.name] = prop.read(obj)
    for nav in entity_set.navs:
        if selected and nav.name not in selected and nav.name not in opts.expand:
            continue
        out[f"{nav.name}@iot.navigationLink"] = f"{self_link}/{nav.name}"
        if nav.name in opts.expand:
            sub, target = opts.expand[nav.name], SETS[nav.target]
            if nav.many:
                page = collection_json(
                    request,
                    target,
                    getattr(obj, nav.attr).all(),
                    sub,
                    link=f"{self_link}/{nav.name}",
                )
                out[nav.name] = page["value"]
                if "@iot.nextLink" in page:
                    out[f"{nav.name}@iot.nextLink"] = page["@iot.nextLink"]
                if "@iot.count" in page:
                    out[f"{nav.name}@iot.count"] = page["@iot.count"]
            else:
                related = getattr(obj, nav.attr)
                out[nav.name] = (
                    None if related is None else entity_json(request, target, related, sub)
                )
    return out


def collection_json(
    request,
    entity_set: EntitySet,
    queryset: QuerySet,
    opts: Options,
    *,
    link: str,
    params: dict | None = None,
) -> dict:
    if opts.filter:
        queryset = filter_apply(queryset, entity_set, opts.filter)
    queryset = orderby_apply(queryset, entity_set, opts.orderby)
    out: dict = {}
    if opts.count:
        out["@iot.count"] = queryset.count()
    rows = list(queryset[opts.skip : opts.skip + opts.top + 1])
    if len(rows) > opts.top:
        rows = rows[: opts.top]
        following = {**(params or {}), "$top": str(opts.top), "$skip": str(opts.skip + opts.top)}
        out["@iot.nextLink"] = f"{link}?{urlencode(following, safe='$,()')}"
    out["value"] = [entity_json(request, entity_set, obj, opts) for obj in rows]
    return out


def _resolve(path: str):
    """(entity set, object or None, queryset or None, links for a POST) for a resource path."""
    segments = [s for s in path.split("/") if s]
    entity_set = obj = queryset = None
    links: dict = {}
    for index, segment in enumerate(segments):
        match = _SEGMENT.match(segment)
        if not match:
            raise services.NotFound(f"No resource {segment!r}.")
        name, pk = match["name"], match["id"]
        if entity_set is None:
            if name not in SETS:
                raise services.NotFound(f"No entity set {name!r}.")
            entity_set = SETS[name]
        else:
            nav = entity_set.nav(name)
            if nav is None:
                raise services.NotFound(f"{entity_set.name} has no {name!r}.")
            target = SETS[nav.target]
            if nav.many:
                inverse = target.nav(nav.inverse)
                if inverse and not inverse.many:
                    links = {inverse.attr: obj}
                queryset = getattr(obj, nav.attr).all()
            else:
                obj = getattr(obj, nav.attr)
                if obj is None:
                    raise services.NotFound(f"{entity_set.name} has no {name}.")
                queryset = None
            entity_set = target
        if pk is not None:
            base = queryset if queryset is not None else entity_set.model.objects
            obj = base.filter(pk=int(pk)).first()
            if obj is None:
                raise services.NotFound(f"No {entity_set.name}({pk}).")
            queryset = None
        elif index == 0:
            queryset, obj = entity_set.model.objects.all(), None
        if queryset is not None and index < len(segments) - 1 and pk is None:
            raise services.NotFound("A collection must be followed by an id: Things(1)/...")
    return entity_set, obj, queryset, links


def _body(request: HttpRequest):
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise EntityError(f"The body is not valid JSON: {error}") from error


def service_root(request: HttpRequest) -> JsonResponse:
    base = _base(request)
    return JsonResponse(
        {
            "value": [{"name": name, "url": f"{base}/{name}"} for name in SETS],
            "serverSettings": {"conformance": CONFORMANCE},
        }
    )


@csrf_exempt
def resource(request: HttpRequest, path: str) -> JsonResponse:
    if request.method not in ("GET", "HEAD", "OPTIONS") and (refused := _write_refusal(request)):
        return refused
    try:
        if path.strip("/") == "CreateObservations":
            if request.method != "POST":
                return _error(405, "CreateObservations takes POST.")
            links = observations_create_batch(_body(request), base=_base(request))
            return JsonResponse(links, status=201, safe=False)
        entity_set, obj, queryset, links = _resolve(path)
        if request.method == "GET":
            opts = options_parse(request.GET.dict())
            if obj is not None and queryset is None:
                return JsonResponse(entity_json(request, entity_set, obj, opts))
            link = request.build_absolute_uri(request.path)
            return JsonResponse(
                collection_json(
                    request, entity_set, queryset, opts, link=link, params=request.GET.dict()
                )
            )
        if request.method == "POST" and queryset is not None:
            created = services.entity_create(
                entity_set=entity_set, data=_body(request), links=links
            )
            response = JsonResponse(
                entity_json(request, entity_set, created, Options()), status=201
            )
            response["Location"] = f"{_base(request)}/{entity_set.name}({created.pk})"
            return response
        if obj is None or queryset is not None:
            return _error(405, f"{request.method} is not allowed on a collection.")
        if request.method in ("PATCH", "PUT"):  # the FROST client's update() sends PUT
            if request.content_type == "application/json-patch+json":
                obj = services.entity_patch_json(
                    entity_set=entity_set, obj=obj, operations=_body(request)
                )
            else:
                obj = services.entity_update(entity_set=entity_set, obj=obj, data=_body(request))
            return JsonResponse(entity_json(request, entity_set, obj, Options()))
        if request.method == "DELETE":
            services.entity_delete(entity_set=entity_set, obj=obj)
            return JsonResponse({}, status=200)
        return _error(405, f"{request.method} is not allowed here.")
    except EntityError as error:
        return _error(400, str(error))
    except services.NotFound as error:
        return _error(404, str(error))
    except services.Conflict as error:
        return _error(409, str(error))
