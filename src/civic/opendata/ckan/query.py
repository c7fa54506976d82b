"""package_search's parameters as CKAN (Solr) takes them, parsed into a selectors.Search: ``q``
words, ``fq`` terms (``organization:``, ``-organization:``, ``a OR b``, ``tags:``, ``groups:``,
``license_id:``, ``name:``, ``metadata_modified:[X TO *]``), ``sort``, ``rows``, ``start``.
What it does not understand is refused, never ignored: a harvester must not get everything
when it asked for a part."""

from __future__ import annotations

import datetime as dt
import re

from civic.opendata.selectors import SORTABLE, Search

#: CKAN's ckan.search.rows_max: a bigger ``rows`` is cut to it, as CKAN does; ``start`` is not
#: limited, so paging goes past it.
ROWS_MAX = 1000
ROWS_DEFAULT = 10

_RANGE = re.compile(r"^metadata_modified:\[(\S+) TO (\S+)\]$")
_TERM = re.compile(r'^(-?)([a-z_]+):("?)([^"\s]+)\3$')
_FIELDS = {
    "organization": "organizations",
    "owner_org": "organizations",
    "tags": "tags",
    "groups": "themes",
    "license_id": "licences",
    "name": "names",
}


class QueryError(ValueError):
    """A parameter CKAN would refuse; the message says which."""


def _moment(text: str) -> dt.datetime | None:
    if text == "*":
        return None
    try:
        moment = dt.datetime.fromisoformat(text.removesuffix("Z"))
    except ValueError:
        raise QueryError(f"Cannot parse the date {text!r} in metadata_modified") from None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def _split(fq: str) -> list[str]:
    """fq's terms: ranges kept whole, ``a OR b`` kept together."""
    tokens = re.findall(r'metadata_modified:\[[^\]]*\]|"[^"]*"|\S+', fq)
    terms: list[str] = []
    while tokens:
        token = tokens.pop(0)
        while tokens[:1] == ["OR"] and len(tokens) > 1:
            token += " OR " + tokens[1]
            tokens = tokens[2:]
        if token not in ("AND", "+"):
            terms.append(token.lstrip("+"))
    return terms


def _apply(search: Search, term: str) -> None:
    if match := _RANGE.match(term):
        search.modified_from = _moment(match.group(1))
        search.modified_to = _moment(match.group(2))
        return
    alternatives = term.split(" OR ")
    parsed = [_TERM.match(a) for a in alternatives]
    if not all(parsed):
        raise QueryError(f"Cannot parse the filter {term!r}")
    fields = {m.group(2) for m in parsed}
    if len(fields) != 1 or next(iter(fields)) not in _FIELDS:
        raise QueryError(f"Unknown filter field in {term!r}; known: {', '.join(sorted(_FIELDS))}")
    attribute = _FIELDS[parsed[0].group(2)]
    excluded = {m.group(1) for m in parsed}
    if excluded == {"-"} and attribute == "organizations":
        search.organizations_excluded += [m.group(4) for m in parsed]
    elif excluded == {""}:
        getattr(search, attribute).extend(m.group(4) for m in parsed)
    else:
        raise QueryError(f"Cannot exclude by {parsed[0].group(2)} in {term!r}")


def _sort(text: str) -> list[tuple[str, bool]]:
    order = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        words = part.split()
        if words[0] == "score":
            continue
        if len(words) != 2 or words[0] not in SORTABLE or words[1] not in ("asc", "desc"):
            raise QueryError(f"Cannot sort by {part!r}; sort by {', '.join(sorted(SORTABLE))}")
        order.append((SORTABLE[words[0]], words[1] == "desc"))
    return order


def _whole(name: str, value, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise QueryError(f"{name}: Invalid integer") from None
    if number < 0:
        raise QueryError(f"{name}: Must be a natural number")
    return number


def search_parse(params: dict) -> tuple[Search, int, int]:
    """(search, start, rows) from package_search's parameters; QueryError if CKAN would refuse."""
    search = Search()
    q = str(params.get("q") or "").strip()
    if q and q not in ("*:*", "*"):
        for word in q.split():
            if ":" in word:
                _apply(search, word)
            else:
                search.words.append(word)
    for term in _split(str(params.get("fq") or "")):
        _apply(search, term)
    search.sort = _sort(str(params.get("sort") or "score desc, metadata_modified desc"))
    rows = min(_whole("rows", params.get("rows"), ROWS_DEFAULT), ROWS_MAX)
    start = _whole("start", params.get("start"), 0)
    return search, start, rows
