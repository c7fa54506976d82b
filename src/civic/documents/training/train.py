"""``civic documents train``: the corpus (from its cache, or generated and OCR'd), the
evaluation by template, the model trained on every template, saved with what it was made from.

The same seed, sample count, corpus and versions of scikit-learn give the same model.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from civic.documents.training.corpus import corpus_build
from civic.documents.training.generate import GENERATOR_VERSION, pdf_text, sample_make
from civic.documents.training.model import evaluate_by_template, model_train
from civic.documents.training.out_of_domain import out_of_domain_texts
from civic.documents.training.templates import TEMPLATES

CORPUS_FILE = Path(__file__).resolve().parent.parent / "data" / "training-corpus.jsonl.gz"
#: The shipped model's recipe: 6 samples of every template in each language.
DEFAULT_SEED = 17
DEFAULT_SAMPLES = 720
OUT_OF_DOMAIN_PASSAGES = 150
#: Text layers of more samples (no OCR, a few seconds to make), from another seed, added to the
#: training side: more names, amounts and dates for every template the model learns from.
DEFAULT_CLEAN = 1200


def clean_records(*, seed: int, samples: int) -> list[dict]:
    records = []
    for index in range(samples):
        sample = sample_make(seed, index, scan=False)
        records.append({"truth": sample.truth, "text": pdf_text(sample.pdf)})
    return records


def correction_records(path: Path) -> list[dict]:
    """Caseworkers' corrections (``civic documents corrections --out FILE``, one JSON object a
    line: the document's text and the type a person gave it) as training records."""
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            records.append({"truth": {"type": row["type"], "template": "correction"},
                            "text": row["text"]})  # fmt: skip
    return records


def classifier_train(
    *,
    out: Path,
    corpus: Path = CORPUS_FILE,
    seed: int = DEFAULT_SEED,
    samples: int = DEFAULT_SAMPLES,
    clean: int = DEFAULT_CLEAN,
    threshold: float = 0.4,
    workers: int = 2,
    evaluate: bool = True,
    corrections: Path | None = None,
    progress: Callable[[int], object] | None = None,
) -> dict[str, Any]:
    """Train, evaluate and save; returns what is saved beside the pipeline (``about``).
    ``corrections`` (caseworkers' corrected types) join the training of the saved model; the
    evaluation stays on generated templates, as real documents have no template to hold out."""
    import joblib
    import sklearn

    records = corpus_build(corpus, seed=seed, samples=samples, workers=workers, progress=progress)
    # Another seed than the corpus's, so that no clean text is the text layer of an OCR'd page.
    extra = clean_records(seed=seed + 1, samples=clean)
    corrected = correction_records(corrections) if corrections else []
    about: dict[str, Any] = {
        "trained_on": dt.date.today().isoformat(),
        "seed": seed,
        "samples": len(records),
        "clean_samples": len(extra),
        "corrections": len(corrected),
        "templates": len(TEMPLATES),
        "generator": GENERATOR_VERSION,
        "scikit_learn": sklearn.__version__,
        "civic": _civic_version(),
        "threshold_evaluated": threshold,
    }
    if evaluate:
        passages = out_of_domain_texts(OUT_OF_DOMAIN_PASSAGES, seed=seed)
        about["evaluation"] = evaluate_by_template(
            records, passages, seed=seed, threshold=threshold, clean=extra
        )
    pipeline = model_train(records, seed=seed, clean=[*extra, *corrected])
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(out.name + ".tmp")
    joblib.dump({"pipeline": pipeline, "about": about}, temporary, compress=3)
    temporary.replace(out)
    return about


def _civic_version() -> str:
    try:
        return importlib.metadata.version("civic")
    except importlib.metadata.PackageNotFoundError:
        return "0.0.0"
