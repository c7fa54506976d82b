"""The SensorThings query options. $filter is parsed by odata-query (its OData grammar and its
translation to Django Q objects); Civic only renames the API's camelCase properties and
navigation paths (Datastream/id) to model fields, and evaluates the geo functions itself: with
no PostGIS, geo.intersects, geo.distance and st_within run in Python (shapely) on the rows the
rest of the filter leaves. A geo function must be a top-level conjunct (``a and geo...``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import shapely
from django.db.models import Q, QuerySet
from odata_query import ast
from odata_query import exceptions as odata_errors
from odata_query.django.django_q import AstToDjangoQVisitor
from odata_query.grammar import ODATA_FUNCTIONS, ODataLexer, ODataParser
from odata_query.visitor import NodeTransformer
from shapely.geometry import shape

from civic.sensors.entities import SETS, EntityError, EntitySet

# SensorThings adds the OGC spatial functions to OData's geo.*; the grammar learns their arity.
ODATA_FUNCTIONS.setdefault("st_within", 2)
ODATA_FUNCTIONS.setdefault("st_intersects", 2)
ODATA_FUNCTIONS.setdefault("st_contains", 2)

DEFAULT_TOP = 100
MAX_TOP = 10_000


@dataclass
class Options:
    filter: str | None = None
    orderby: str | None = None
    select: list[str] | None = None
    expand: dict[str, Options] = field(default_factory=dict)
    top: int = DEFAULT_TOP
    skip: int = 0
    count: bool = False


def _split(text: str, sep: str) -> list[str]:
    """Split at ``sep`` outside parentheses and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(text):
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        elif not quoted and depth == 0 and ch == sep:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _int(value: str, name: str) -> int:
    if not value.isdigit():
        raise EntityError(f"{name} must be a whole number, not {value!r}.")
    return int(value)


def options_parse(params: dict[str, str], *, top_default: int = DEFAULT_TOP) -> Options:
    opts = Options(top=top_default)
    for key, value in params.items():
        if key == "$filter":
            opts.filter = value
        elif key == "$orderby":
            opts.orderby = value
        elif key == "$select":
            opts.select = [s.strip() for s in value.split(",") if s.strip()]
        elif key == "$top":
            opts.top = min(_int(value, "$top"), MAX_TOP)
        elif key == "$skip":
            opts.skip = _int(value, "$skip")
        elif key == "$count":
            if value not in ("true", "false"):
                raise EntityError("$count must be true or false.")
            opts.count = value == "true"
        elif key == "$expand":
            for item in _split(value, ","):
                name, _, inner = item.partition("(")
                nested = (
                    dict(o.split("=", 1) for o in _split(inner.rstrip(")"), ";") if "=" in o)
                    if inner
                    else {}
                )
                head, _, rest = name.strip().partition("/")
                sub = options_parse(nested)
                if rest:  # Datastreams/Observations: a nested expand without options
                    sub = Options(expand={rest: sub})
                opts.expand[head] = sub
        elif key.startswith("$"):
            raise EntityError(f"Unknown query option {key}.")
    return opts


class _Rename(NodeTransformer):
    """API names to model fields, one entity set at a time along navigation paths."""

    def __init__(self, entity_set: EntitySet):
        self.entity_set = entity_set

    def _path(self, parts: list[str]) -> str:
        current, fields = self.entity_set, []
        for i, part in enumerate(parts):
            nav = current.nav(part)
            if nav and i < len(parts) - 1:
                fields.append(nav.attr)
                current = SETS[nav.target]
                continue
            if part == "id":
                fields.append("id")
            elif (prop := current.prop(part)) is not None:
                fields.append(prop.field)
            else:
                raise EntityError(f"{current.name} has no property {part!r}.")
        return "__".join(fields)

    def visit_Identifier(self, node):
        return ast.Identifier(self._path([node.name]))

    def visit_Call(self, node):
        # The function's own name (geo.distance) is not a property.
        return ast.Call(node.func, [self.visit(arg) for arg in node.args])

    def visit_Attribute(self, node):
        parts, owner = [node.attr], node.owner
        while isinstance(owner, ast.Attribute):
            parts.insert(0, owner.attr)
            owner = owner.owner
        parts.insert(0, owner.name)
        return ast.Identifier(self._path(parts))


GeoTest = Callable[[object], bool]
_GEO = {"geo.intersects", "st_intersects", "st_within", "st_contains", "geo.distance"}


def _geometry(literal: ast.Geography):
    try:
        return shapely.from_wkt(literal.wkt())
    except shapely.errors.GEOSException as error:
        raise EntityError(f"Not a WKT geometry: {literal.wkt()!r}.") from error


def _geo_test(node: ast._Node) -> tuple[str, GeoTest] | None:
    """(model field, test on its GeoJSON) for a geo conjunct, None for anything else."""
    call, compare = node, None
    if isinstance(node, ast.Compare) and isinstance(node.left, ast.Call):
        call, compare = node.left, node
    if not isinstance(call, ast.Call) or call.func.full_name() not in _GEO:
        return None
    name = call.func.full_name()
    column, literal = call.args
    if not isinstance(column, ast.Identifier) or not isinstance(literal, ast.Geography):
        raise EntityError(f"{name} takes a property and a geography'...' literal.")
    other = _geometry(literal)

    def geom(value):
        return shape(value.get("geometry", value)) if isinstance(value, dict) else None

    if name == "geo.distance":
        if compare is None:
            raise EntityError("geo.distance must be compared with a number.")
        limit = compare.right.py_val
        op = {ast.Lt: "__lt__", ast.LtE: "__le__", ast.Gt: "__gt__", ast.GtE: "__ge__"}.get(
            type(compare.comparator)
        )
        if op is None or not isinstance(compare.right, (ast.Integer, ast.Float)):
            raise EntityError("geo.distance is compared with lt, le, gt or ge and a number.")
        return (
            column.name,
            lambda v: (g := geom(v)) is not None and getattr(g.distance(other), op)(limit),
        )
    if compare is not None:
        raise EntityError(f"{name} is true or false; compare nothing with it.")
    method = {"st_within": "within", "st_contains": "contains"}.get(name, "intersects")
    return column.name, lambda v: (g := geom(v)) is not None and getattr(g, method)(other)


def _conjuncts(node):
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return _conjuncts(node.left) + _conjuncts(node.right)
    return [node]


def filter_apply(queryset: QuerySet, entity_set: EntitySet, text: str) -> QuerySet:
    try:
        tree = ODataParser().parse(ODataLexer().tokenize(text))
        tree = _Rename(entity_set).visit(tree)
    except (odata_errors.ODataException, ValueError, KeyError) as error:
        raise EntityError(f"$filter cannot be read: {error}") from error
    if tree is None:
        raise EntityError("$filter is empty or cannot be read.")
    plain, geo = [], []
    for part in _conjuncts(tree):
        test = _geo_test(part)
        (geo if test else plain).append(test or part)
    try:
        for part in plain:
            visitor = AstToDjangoQVisitor(queryset.model)
            q = visitor.visit(part)
            if visitor.queryset_annotations:
                queryset = queryset.annotate(**visitor.queryset_annotations)
            queryset = queryset.filter(q if isinstance(q, Q) else Q(q))
    except (odata_errors.ODataException, TypeError, ValueError) as error:
        raise EntityError(f"$filter cannot be applied: {error}") from error
    for column, test in geo:
        keep = [pk for pk, value in queryset.values_list("pk", column) if test(value)]
        queryset = queryset.filter(pk__in=keep)
    return queryset


def orderby_apply(queryset: QuerySet, entity_set: EntitySet, text: str | None) -> QuerySet:
    if not text:
        return queryset.order_by("pk")
    order = []
    for item in _split(text, ","):
        name, _, direction = item.partition(" ")
        direction = direction.strip().lower()  # FROST's client writes ASC and DESC
        column = _Rename(entity_set)._path(name.split("/"))
        if direction not in ("", "asc", "desc"):
            raise EntityError(f"$orderby direction must be asc or desc, not {direction!r}.")
        order.append(("-" if direction == "desc" else "") + column)
    return queryset.order_by(*order, "pk")
