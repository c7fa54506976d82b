"""The document type of a text: the shipped (or configured) model's best type and its
confidence, and "other, to a person" when the confidence is below the threshold.

The model is a scikit-learn pipeline trained by ``civic documents train`` on Civic's own
generated, degraded and OCR'd templates (``documents.training``), stored with joblib as
``documents/data/classifier.joblib`` in the package. It is loaded once per process. Only a
file from the package or the operator's own setting is ever loaded: a joblib file is a pickle,
and loading one runs its code.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "classifier.joblib"
OTHER = "other"


@dataclass(frozen=True)
class Classification:
    type: str  # a models.DocumentType value; "other" below the threshold
    confidence: float  # the model's probability of its best type, 0..1
    model_type: str  # the model's best type, even when below the threshold

    @property
    def to_person(self) -> bool:
        """Below the threshold, or the model's own "other": a person decides what it is."""
        return self.type == OTHER


@lru_cache(maxsize=2)
def _model(path: str) -> dict[str, Any]:
    import joblib

    with warnings.catch_warnings():
        # A model trained with another minor version of scikit-learn still loads; retraining
        # (civic documents train) makes the warning go away.
        warnings.simplefilter("ignore")
        return joblib.load(path)


def model_path() -> Path:
    return Path(settings.DOCUMENTS_CLASSIFIER_MODEL or MODEL_FILE)


def model_info() -> dict[str, Any]:
    """What the model was trained on and how it scored (seed, samples, versions, figures)."""
    return _model(str(model_path()))["about"]


def document_type_classify(text: str) -> Classification:
    """The type of a document from its text (all pages joined)."""
    if not text.strip():
        return Classification(type=OTHER, confidence=0.0, model_type=OTHER)
    pipeline = _model(str(model_path()))["pipeline"]
    probabilities = pipeline.predict_proba([text])[0]
    best = int(probabilities.argmax())
    model_type, confidence = str(pipeline.classes_[best]), round(float(probabilities[best]), 4)
    below = confidence < settings.DOCUMENTS_CLASSIFIER_THRESHOLD
    return Classification(
        type=OTHER if below else model_type,
        confidence=confidence,
        model_type=model_type,
    )
