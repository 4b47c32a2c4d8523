"""The statistical classifier: character and word n-gram TF-IDF + a linear SVM.

A document may carry a title on its first line ("主题\\n详情"): the title gets its own features, since a
short subject line says more per character than a long body. Everything runs offline on a CPU.
"""

import logging
import re
import threading
from functools import lru_cache

_jieba_lock = threading.Lock()
_WORD = re.compile(r"\w")


@lru_cache(maxsize=50000)  # cross-validation and retraining see the same texts again
def words(text):
    """jieba words (bundled dictionary, no download), punctuation dropped, joined by spaces."""
    import jieba

    with _jieba_lock:
        jieba.setLogLevel(logging.WARNING)
        tokens = jieba.lcut(text, HMM=False)  # the HMM pass for unknown words costs a third more time
    return " ".join(t for t in tokens if _WORD.search(t))


def title_of(doc):
    """The subject line; an order without one is summed up by its opening words."""
    return doc.split("\n", 1)[0] if "\n" in doc else doc[:30]


def _body(docs):
    return list(docs)


def _titles(docs):
    return [title_of(d) for d in docs]


def _words(docs):
    return [words(d) for d in docs]


LARGE = 5000  # above this many examples the SVM is fitted by SGD: seconds instead of minutes, same kind of model


def make_pipeline(C=1.0, n_examples=0):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer
    from sklearn.svm import LinearSVC

    def branch(extract, **tfidf):
        return Pipeline([("pick", FunctionTransformer(extract)), ("tfidf", TfidfVectorizer(sublinear_tf=True, **tfidf))])

    features = FeatureUnion([
        ("chars", branch(_body, analyzer="char", ngram_range=(1, 2))),
        ("words", branch(_words, analyzer="word", token_pattern=r"\S+")),
        ("title", branch(_titles, analyzer="char", ngram_range=(1, 2))),
    ])
    if n_examples > LARGE:
        svm = SGDClassifier(loss="hinge", alpha=1e-5, class_weight="balanced", max_iter=20, tol=1e-4, random_state=0)
    else:
        svm = LinearSVC(C=C, class_weight="balanced")
    return Pipeline([("features", features), ("svm", svm)])


def scores(pipeline, docs):
    """Per-class pseudo-probabilities (softmax of the SVM margins) as a list of dicts."""
    import numpy as np

    margins = pipeline.decision_function(docs)
    if margins.ndim == 1:  # two classes
        margins = np.column_stack([-margins, margins])
    exp = np.exp(3.0 * (margins - margins.max(axis=1, keepdims=True)))
    probs = exp / exp.sum(axis=1, keepdims=True)
    labels = list(pipeline.classes_)
    return [dict(zip(labels, row.tolist())) for row in probs]
