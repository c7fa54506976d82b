"""The classifier's estimator: three views of a text, their probabilities averaged.

- A multinomial logistic regression on the whole text's features learns fine distinctions
  between the templates it has seen.
- A complement naive Bayes on the same features, which weighs every word on its own, holds up
  better on a template it has not seen, whose wording shares only some words with the others.
- A complement naive Bayes on the features of the document's first lines (its heading, where a
  document names itself: "Objection form", "Annual statement", "Re: request for information")
  holds up when the body reads like another type's body: a letter asking about an application
  uses an objection's words, a utility's annual bill a bank statement's.

The weighted average picks the type. Its confidence is never above the regression's own best
probability, so text that the regression does not recognise (out-of-domain text, a page OCR
could not read) stays below the threshold and goes to a person: the blend changes which type
is proposed, not what is let through.

Part of the shipped model (the pickled model refers to this class by name): renaming or moving
it needs the model retrained. No Django, no database.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB


class TextHeadingBlend(ClassifierMixin, BaseEstimator):
    """Weighted average of a logistic regression and a complement naive Bayes on ``text``'s
    features and of a complement naive Bayes on ``heading``'s features (``weights``, in that
    order); fitted on raw texts. The best probability is capped at the regression's."""

    def __init__(self, text=None, heading=None, C: float = 20.0, alpha: float = 1.0,
                 weights: tuple[float, float, float] = (0.6, 0.1, 0.3),
                 random_state: int | None = None):  # fmt: skip
        self.text = text
        self.heading = heading
        self.C = C
        self.alpha = alpha
        self.weights = weights
        self.random_state = random_state

    def fit(self, X, y):
        self.text_ = clone(self.text)
        self.heading_ = clone(self.heading)
        words, heading = self.text_.fit_transform(X), self.heading_.fit_transform(X)
        self.regression_ = LogisticRegression(
            C=self.C, max_iter=3000, random_state=self.random_state
        ).fit(words, y)
        self.bayes_ = ComplementNB(alpha=self.alpha).fit(words, y)
        self.heading_bayes_ = ComplementNB(alpha=self.alpha).fit(heading, y)
        self.classes_ = self.regression_.classes_
        return self

    def predict_proba(self, X) -> np.ndarray:
        words, heading = self.text_.transform(X), self.heading_.transform(X)
        regression = self.regression_.predict_proba(words)
        w_regression, w_bayes, w_heading = self.weights
        blend = (
            w_regression * regression
            + w_bayes * self.bayes_.predict_proba(words)
            + w_heading * self.heading_bayes_.predict_proba(heading)
        ) / (w_regression + w_bayes + w_heading)
        best = blend.max(axis=1, keepdims=True)
        capped = np.minimum(best, regression.max(axis=1, keepdims=True))
        return blend * (capped / best)

    def predict(self, X) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]
