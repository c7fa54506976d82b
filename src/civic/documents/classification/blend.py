"""The classifier's estimator: a multinomial logistic regression and a complement naive Bayes
on the same features, their probabilities averaged.

The regression learns fine distinctions between the templates it has seen; naive Bayes, which
weighs every word on its own, holds up better on a template it has not seen, whose wording
shares only some words with the others. The average picks the type. Its confidence is never
above the regression's own best probability, so text that the regression does not recognise
(out-of-domain text, a page OCR could not read) stays below the threshold and goes to a person
as before: the blend changes which type is proposed, not what is let through.

Part of the shipped model (the pickled pipeline refers to this class by name): renaming or
moving it needs the model retrained. No Django, no database.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB


class RegressionBayesBlend(ClassifierMixin, BaseEstimator):
    """Equal-weight average of a logistic regression's and a complement naive Bayes'
    probabilities, its best probability capped at the regression's."""

    def __init__(self, C: float = 20.0, alpha: float = 1.0, weight: float = 0.5,
                 random_state: int | None = None):  # fmt: skip
        self.C = C
        self.alpha = alpha
        self.weight = weight
        self.random_state = random_state

    def fit(self, X, y):
        self.regression_ = LogisticRegression(
            C=self.C, max_iter=3000, random_state=self.random_state
        ).fit(X, y)
        self.bayes_ = ComplementNB(alpha=self.alpha).fit(X, y)
        self.classes_ = self.regression_.classes_
        return self

    def predict_proba(self, X) -> np.ndarray:
        regression = self.regression_.predict_proba(X)
        blend = (1 - self.weight) * regression + self.weight * self.bayes_.predict_proba(X)
        best = blend.max(axis=1, keepdims=True)
        capped = np.minimum(best, regression.max(axis=1, keepdims=True))
        return blend * (capped / best)

    def predict(self, X) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]
