"""The statistical classifier: character and word n-gram TF-IDF + a taxonomy matcher + a linear SVM.

A document may carry a title on its first line ("主题\\n详情"): the title gets its own features, since a
short subject line says more per character than a long body. Character and word n-grams are taken after
dropping what every class shares (greetings, thanks, anonymised place codes, numbers, links). The taxonomy
matcher counts, per category, the terms of its name and its sub-categories' names found in the text and in
the subject line: the class vocabulary that a few hundred examples cannot cover. Everything runs offline on
a CPU.
"""

import logging
import re
import threading
from functools import lru_cache

from sklearn.base import BaseEstimator, TransformerMixin

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


# Shared by all classes, so only noise for the n-grams: greetings/thanks, anonymised or coded places
# ("A市", "A3区"), Latin letters and digits (dates, house numbers, phone numbers), links.
_BOILERPLATE = re.compile(r"http\S+|[A-Z]\d*[市区县镇]|[A-Za-z0-9０-９]+|您好|你好|尊敬的|领导|谢谢|感谢|请问")


def clean(text):
    return _BOILERPLATE.sub(" ", text)


def title_of(doc):
    """The subject line; an order without one is summed up by its opening words."""
    return doc.split("\n", 1)[0] if "\n" in doc else doc[:30]


def _body(docs):
    return [clean(d) for d in docs]


def _titles(docs):
    return [clean(title_of(d)) for d in docs]


def _words(docs):
    return [words(clean(d)) for d in docs]


class TaxonomyMatcher(TransformerMixin, BaseEstimator):
    """Per category: log(1 + number of its taxonomy terms found in the text), scaled.

    taxonomy: (text, label) pairs, e.g. ("安全生产 事故处理", "城乡建设") — a category's own name and its
    sub-categories' names. The terms are the whole names and their jieba words, two characters or more,
    looked up as substrings (a name such as "城管执法" is seldom one jieba word). A small scale keeps these few
    dense columns a hint next to thousands of n-gram weights (0.3; 1.0 drowned the n-grams in CV)."""

    def __init__(self, taxonomy=(), scale=0.3):
        self.taxonomy = taxonomy
        self.scale = scale

    def fit(self, docs, y=None):
        terms = {}
        for text, label in self.taxonomy:
            found = terms.setdefault(label, set())
            found.update(t for t in text.split() if len(t) >= 2)
            found.update(t for t in words(text).split() if len(t) >= 2)
        self.labels_ = sorted(label for label in terms if terms[label])
        self.terms_ = [tuple(terms[label]) for label in self.labels_]
        return self

    def transform(self, docs):
        import numpy as np
        from scipy import sparse

        out = np.zeros((len(docs), len(self.labels_)))
        for i, doc in enumerate(docs):
            for k, terms in enumerate(self.terms_):
                out[i, k] = np.log1p(sum(term in doc for term in terms))
        return sparse.csr_matrix(out * self.scale)


# Bump when the text preparation or the feature blocks change: a stored model pickles references to these
# functions, so one trained under other features would silently read text it never learnt from. get_model()
# sets such a model aside (rules only) and the worker's triage.retrain fits a new one at its next run.
FEATURES_VERSION = 2

LARGE = 5000  # above this many examples the SVM is fitted by SGD: seconds instead of minutes, same kind of model


def make_pipeline(C=1.0, n_examples=0, taxonomy=()):
    """taxonomy: (text, label) pairs for the TaxonomyMatcher; without them the matcher is left out."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer
    from sklearn.svm import LinearSVC

    def branch(extract, **tfidf):
        return Pipeline([("pick", FunctionTransformer(extract)), ("tfidf", TfidfVectorizer(sublinear_tf=True, **tfidf))])

    blocks = [
        ("chars", branch(_body, analyzer="char", ngram_range=(1, 2))),
        ("words", branch(_words, analyzer="word", token_pattern=r"\S+")),
        ("title", branch(_titles, analyzer="char", ngram_range=(1, 2))),
    ]
    if taxonomy:
        # once over the whole text and once over the subject line, which names the matter more directly
        blocks.append(("taxonomy", TaxonomyMatcher(list(taxonomy))))
        blocks.append(("taxonomy_title", Pipeline([("pick", FunctionTransformer(_titles)),
                                                   ("match", TaxonomyMatcher(list(taxonomy)))])))
    features = FeatureUnion(blocks)
    if n_examples > LARGE:
        svm = SGDClassifier(loss="hinge", alpha=1e-5, class_weight="balanced", max_iter=20, tol=1e-4, random_state=0)
    else:
        svm = LinearSVC(C=C, class_weight="balanced")
    pipeline = Pipeline([("features", features), ("svm", svm)])
    pipeline.shouhu_features_version = FEATURES_VERSION  # pickled with the model
    return pipeline


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
