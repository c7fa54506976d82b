"""The optional semantic plugin: a small static sentence-embedding model that ships inside its
pip package (WordLlama, MIT: 256 dimensions, 16 MB of weights and its tokenizer in the wheel),
so nothing is downloaded at run time. Install with ``pip install civic[semantic]`` and switch it
on with CIVIC_CATALOG_SEMANTIC=true.

Each service is a set of short passages (its name, each search phrase, its summary, in every
language); a query's similarity to a service is its best cosine with one of them. The finder's
BM25 ranking and this one are fused by their ranks (reciprocal rank fusion), so a service both
find ranks first and one only the model finds can still enter the list.
"""

from __future__ import annotations

import re
from pathlib import Path

from civic.catalog.finder import Document, Hit

#: Reciprocal rank fusion: score = sum over rankings of weight / (K + rank).
RRF_K = 10
SEMANTIC_WEIGHT = 0.5
#: Below this cosine the model's opinion is noise and the service is not added.
MIN_SIMILARITY = 0.25


def available() -> bool:
    try:
        import wordllama  # noqa: F401
    except ImportError:
        return False
    return True


class SemanticIndex:
    def __init__(self, documents: list[Document]) -> None:
        import numpy as np
        import wordllama
        from wordllama import WordLlama

        # The weights and tokenizer are in the package's own folders; never download.
        self.model = WordLlama.load(
            cache_dir=Path(wordllama.__file__).parent, disable_download=True
        )
        self.codes: list[str] = []
        passages: list[str] = []
        owners: list[int] = []
        for index, doc in enumerate(documents):
            self.codes.append(doc.code)
            for field_name in ("name", "keywords", "summary"):
                for text in doc.texts.get(field_name, {}).values():
                    parts = re.split(r"\|", text) if field_name == "keywords" else [text]
                    for part in parts:
                        if part.strip():
                            passages.append(part.strip())
                            owners.append(index)
        vectors = self.model.embed(passages, norm=True)
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.owners = np.asarray(owners)
        self._np = np

    def similarities(self, query: str) -> dict[str, float]:
        np = self._np
        vector = np.asarray(self.model.embed([query], norm=True), dtype=np.float32)[0]
        cosines = self.vectors @ vector
        best = np.full(len(self.codes), -1.0, dtype=np.float32)
        np.maximum.at(best, self.owners, cosines)
        return {code: float(best[i]) for i, code in enumerate(self.codes)}


def fuse(lexical: list[Hit], similarities: dict[str, float], limit: int) -> list[Hit]:
    """Reciprocal rank fusion of the finder's hits and the model's similarities."""
    scores: dict[str, float] = {}
    for rank, hit in enumerate(lexical, start=1):
        scores[hit.code] = scores.get(hit.code, 0.0) + 1 / (RRF_K + rank)
    ranked = sorted(
        (item for item in similarities.items() if item[1] >= MIN_SIMILARITY),
        key=lambda item: (-item[1], item[0]),
    )
    for rank, (code, _similarity) in enumerate(ranked, start=1):
        scores[code] = scores.get(code, 0.0) + SEMANTIC_WEIGHT / (RRF_K + rank)
    fused = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [Hit(code, score) for code, score in fused[:limit]]
