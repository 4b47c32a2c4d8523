"""Classification evaluation: the current rules+model on a file, or stratified K-fold on the file alone."""

from triage.evaluation import EvalError, read_table


def load_texts(file, text_col, label_col=None):
    """Texts joined from one or more columns ("留言主题+留言详情": subject on the first line) and labels."""
    columns = [c.strip() for c in text_col.split("+") if c.strip()]
    rows = read_table(file, columns + ([label_col] if label_col else []))
    texts, labels = [], []
    for row in rows:
        text = "\n".join(row[c].strip() for c in columns if row[c].strip())
        label = row[label_col].strip() if label_col else ""
        if text and (label or not label_col):
            texts.append(text)
            labels.append(label)
    if label_col and not texts:
        raise EvalError("文件中没有带标签的文本")
    return texts, labels


def _metrics(truth, predicted):
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(truth))
    return {"macro_f1": f1_score(truth, predicted, labels=labels, average="macro", zero_division=0),
            "accuracy": accuracy_score(truth, predicted), "n": len(truth)}


def load_taxonomy(file):
    """A label taxonomy (first column: the label; the other columns: its sub-classes) → (text, label) pairs.

    Each row becomes a short pseudo-example ("安全生产 事故处理" → 城乡建设): the class names are the
    vocabulary of the class, which a few hundred examples cannot cover."""
    rows = read_table(file)
    pairs = []
    for row in rows:
        values = [v for v in row.values()]
        if values and values[0]:
            text = " ".join(v for v in values[1:] if v)
            pairs.append((text, values[0]))
    return pairs


def evaluate_classify(file, text_col, label_col, cv=0, unlabelled=(), stdout=None, show_errors=0, taxonomy=None):
    texts, labels = load_texts(file, text_col, label_col)
    if cv:
        extra = [(t, label) for t, label in load_taxonomy(taxonomy) if label in set(labels)] if taxonomy else []
        predicted = cross_validate(texts, labels, cv, unlabelled=[t for f in unlabelled for t in
                                                                  load_texts(f, text_col)[0]], extra=extra)
    else:
        predicted = score_current(texts, labels)
    if stdout and show_errors:
        shown = 0
        for text, want, got in zip(texts, labels, predicted):
            if want != got and shown < show_errors:
                stdout.write(f"✗ 期望 {want} 得到 {got}: {text[:60]!r}")
                shown += 1
    return _metrics(labels, predicted)


def score_current(texts, labels):
    """Predict with the installed rules and model; a label may be a category code or its name."""
    from hotline.models import Category
    from triage.classify import classify

    names = dict(Category.objects.values_list("code", "name"))
    codes = set(names)
    predicted = []
    for text in texts:
        code = classify(text)["code"]
        predicted.append(code or "")
    # answer in the file's vocabulary: codes where the file uses codes, names where it uses names
    uses_codes = sum(label in codes for label in labels) >= len(labels) / 2
    return [p if uses_codes else names.get(p, p) for p in predicted]


def cross_validate(texts, labels, k, unlabelled=(), seed=0, extra=()):
    """Stratified K-fold on the file alone: train on K-1 folds, predict the held-out one.

    extra: (text, label) taxonomy rows, added as short examples and given to the taxonomy matcher.

    With unlabelled texts, one round of self-training: each fold's model labels them, the most confident
    share per class is added with a lower weight, and the model is refitted (never on held-out texts)."""
    from collections import Counter

    from sklearn.model_selection import StratifiedKFold

    from triage.features import make_pipeline

    smallest = min(Counter(labels).values())
    if smallest < k:
        raise EvalError(f"有的类别只有 {smallest} 条,少于折数 {k}")
    predicted = [None] * len(texts)
    folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    for train_idx, test_idx in folds.split(texts, labels):
        x = [texts[i] for i in train_idx] + [t for t, _l in extra]
        y = [labels[i] for i in train_idx] + [label for _t, label in extra]
        model = make_pipeline(taxonomy=extra).fit(x, y)
        if unlabelled:
            model = _self_train(model, x, y, list(unlabelled), taxonomy=extra)
        for i, label in zip(test_idx, model.predict([texts[i] for i in test_idx])):
            predicted[i] = label
    return predicted


def _self_train(model, x, y, unlabelled, per_class=200, weight=0.5, taxonomy=()):
    import numpy as np

    from triage.features import make_pipeline

    margins = model.decision_function(unlabelled)
    top = margins.argmax(axis=1)
    ordered = np.sort(margins, axis=1)
    confidence = ordered[:, -1] - ordered[:, -2]
    chosen = []
    for k in range(len(model.classes_)):
        idx = np.where(top == k)[0]
        chosen += list(idx[np.argsort(-confidence[idx])][:per_class])
    extra_x = [unlabelled[i] for i in chosen]
    extra_y = [model.classes_[top[i]] for i in chosen]
    weights = [1.0] * len(x) + [weight] * len(extra_x)
    return make_pipeline(taxonomy=taxonomy).fit(x + extra_x, y + extra_y, svm__sample_weight=weights)
