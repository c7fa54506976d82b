"""The optional semantic plugin with its real model (shipped inside the wordllama wheel):
switched on, the finder still answers the residents' questions, and nothing is downloaded."""

from __future__ import annotations

import pytest

from civic.catalog import semantic
from civic.catalog.selectors import services_find

pytestmark = pytest.mark.skipif(
    not semantic.available(), reason="the semantic plugin is not installed (civic[semantic])"
)


def test_with_the_model_on_the_finder_answers_in_both_languages(db, settings, monkeypatch):
    # No network: loading the model must use the files inside the package.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import requests

    def refuse(*args, **kwargs):
        raise AssertionError("the semantic plugin tried to download something")

    monkeypatch.setattr(requests, "get", refuse)
    settings.CATALOG_SEMANTIC = True
    for query, service in [
        ("i disagree with the decision on my application", "object-to-a-decision"),
        ("kinderbijslag aanvragen", "child-benefit"),
        ("we are getting married", "register-marriage-or-partnership"),
    ]:
        found = [s.code for s, _score in services_find(query=query, limit=3)]
        assert service in found, (query, found)


def test_a_service_only_the_model_relates_to_the_query_can_still_be_offered():
    hits = semantic.fuse([], {"youth-care": 0.6, "passport": 0.1}, limit=3)
    assert [h.code for h in hits] == ["youth-care"]
