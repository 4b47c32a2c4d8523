"""Topic classification: text → hotline.Category code with a score and a reason.

Day one: admin-editable keyword rules (TopicRule). Once the platform has confirmed examples, a trained
character/word n-gram model joins in; its weight grows with the number of examples it learnt from.
The department comes from the 派单目录 (DispatchRule) and, for territorial matters, the address's street.
"""

import io
import re
import threading
import time
from dataclasses import dataclass

from django.db import transaction

from triage.text import normalise

RULES_TTL = 30.0  # seconds before another process's rule edits are picked up
MODEL_RECHECK = 30.0
MIN_SCORE = 0.2  # below this the suggestion is "no idea"

_lock = threading.Lock()
_rules = {"data": None, "at": 0.0}
_model = {"version": None, "pipeline": None, "n": 0, "checked": 0.0}


@dataclass(frozen=True)
class Rule:
    category: str
    parts: tuple
    weight: float
    phrase: str


def invalidate_rules(**kwargs):
    _rules["data"] = None


def invalidate_model(**kwargs):
    """Forget the loaded model: the next get_model() reads the active one again."""
    _model.update(version=None, pipeline=None, n=0, checked=0.0)


def _load_rules():
    from hotline.models import Category
    from triage.models import TopicRule

    rules = []
    for code, phrase, weight in TopicRule.objects.filter(active=True, category__active=True).values_list(
            "category__code", "phrase", "weight"):
        parts = tuple(normalise(p) for p in phrase.split("+") if p.strip())
        if parts:
            rules.append(Rule(code, parts, weight, phrase))
    names = dict(Category.objects.values_list("code", "name"))
    return rules, names


def get_rules():
    now = time.monotonic()
    if _rules["data"] is None or now - _rules["at"] > RULES_TTL:
        with _lock:
            _rules["data"], _rules["at"] = _load_rules(), now
    return _rules["data"]


def _present_parts(folded, parts, max_len):
    """Rule part → the spans where it occurs: one dict lookup per (position, length), not one scan per rule."""
    found = {}
    n = len(folded)
    for i in range(n):
        for j in range(i + 1, min(n, i + max_len) + 1):
            if folded[i:j] in parts:
                found.setdefault(folded[i:j], []).append((i, j))
    return found


def _standalone(found):
    """The parts that occur at least once outside a longer matched part ("隔离期间" is one piece of evidence,
    not also "隔离期" and "隔离"; "发热门诊" is not also "门诊"): the longest match counts, as in word
    segmentation, so overlapping synonyms in the rule list do not stack up."""
    longest_from = {}  # start → furthest end of a match starting there
    for occurrences in found.values():
        for i, j in occurrences:
            longest_from[i] = max(j, longest_from.get(i, 0))
    reach_before, furthest = {}, 0  # start → furthest end of a match starting strictly before it
    for i in sorted(longest_from):
        reach_before[i] = furthest
        furthest = max(furthest, longest_from[i])
    out = set()
    for part, occurrences in found.items():
        # inside a longer match: one that starts earlier and reaches as far, or starts here and reaches further
        if any(reach_before[i] < j and longest_from[i] == j for i, j in occurrences):
            out.add(part)
    return out


# A denial may stand a word or two before what it denies ("不是从武汉回来的"); 没/没有 only right before it
# ("又没发烧", "没有咳嗽") — "没人维持秩序", "没人来消毒" complain of an absence, which is the matter itself.
DENIALS = ("不是", "并非", "并没有", "并没")
ABSENCES = ("没去过", "没有去过", "没到过", "没有到过", "没有", "没")  # 没去过湖北: never been there
NEGATIONS = DENIALS + ABSENCES


def _negated(folded, found):
    """Parts only ever said under a negation count as absent. Phrases that carry their own negation
    ("没隔离", "不让进") are rules of their own and are left alone; questions (有没有, 是不是) deny nothing."""
    out = set()
    for part, occurrences in found.items():
        if part.startswith(NEGATIONS):
            continue
        if all(_negated_at(folded, i) for i, _j in occurrences):
            out.add(part)
    return out


def _negated_at(folded, i):
    clause = folded[max(0, i - 6):i].rsplit(",", 1)[-1]
    for neg in DENIALS:
        k = clause.rfind(neg, max(0, len(clause) - len(neg) - 2))
        if k >= 0 and not clause[:k].endswith("是"):  # 是不是 asks
            return True
    for neg in ABSENCES:
        if clause.endswith(neg) and not clause[:-len(neg)].endswith("有"):  # 有没有 asks
            return True
    return False


def rule_scores(text):
    """category code → (summed weight, [phrases that matched])."""
    rules, _names = get_rules()
    folded = normalise(text)
    by_part = _rules.get("by_part")
    if by_part is None or _rules.get("by_part_of") is not rules:
        by_part = {}
        for rule in rules:
            by_part.setdefault(rule.parts[0], []).append(rule)
        _rules["by_part"], _rules["by_part_of"] = by_part, rules
        _rules["parts"] = {p for rule in rules for p in rule.parts}
        _rules["max_len"] = max([len(p) for p in _rules["parts"]] + [1])
    found = _present_parts(folded, _rules["parts"], _rules["max_len"])
    standalone = _standalone(found) - _negated(folded, found)
    out = {}
    for rule in (r for part in found for r in by_part.get(part, ())):
        # A one-word rule needs its word on its own; a "A+B" rule needs each part somewhere.
        if (rule.parts[0] in standalone) if len(rule.parts) == 1 else all(part in found for part in rule.parts):
            total, phrases = out.get(rule.category, (0.0, []))
            out[rule.category] = (total + rule.weight, phrases + [rule.phrase])
    return _asks_for_the_rule(text, out)


# A question about the rule itself — what the regulation, the document, the conditions or the official word
# are — is a policy question whatever matter it concerns: "复工要满足什么条件，上面有文件吗", "外地回来的到底要在
# 家待几天", "这14天从哪天起算". Its topic words (复工, 隔离, 买菜) would otherwise outvote the few words of the
# question, so such a question counts for 政策咨询 as much as the strongest epidemic topic it mentions. The
# signal is deliberately narrow: a question in a concrete situation ("能不能多开个通道", "隔离要自己出钱吗")
# belongs to its topic, as do pleas ("能不能给送一个") and reports (举报). On all the labelled sets it fires on
# 48 of 171 policy questions and 4 of 1,747 other texts (docs/benchmarks/triage.md).
POLICY = "EP-POLICY"
RULE_WORDS = "规定|文件|政策|说法|标准"  # not 要求: "有什么要求" asks about one's own case
ASKS_RULE = re.compile(
    rf"(?:有啥|啥|什么|哪些|哪条|哪个|有没有|统一的|统一)(?:{RULE_WORDS})"  # 有啥规定, 有没有说法, 统一的规定
    rf"|(?:{RULE_WORDS})(?:吗|呢|是什么|是怎么|怎么说|到底)"  # 是区里的规定吗
    r"|(?:什么时候|是否|能否|允不)允许|起算|怎么算|开始算|满足|哪些材料|什么材料|(?:隔离|观察|待)几天")
QUESTION = re.compile(r"[?？]|吗|呢|有没有|是不是|是否|什么|哪些|哪个|怎么|多少|几天|到底|还是|能不能|可不可以|能否")
ASKED = "问规定:"  # marks the question's own evidence among the phrases (shown apart in the reason)
PLEA = re.compile(r"(?:能不能|可不可以|能否|可否|请|麻烦|希望)[^,，。]{0,3}"
                  r"(?:帮|给|派|送|安排|解决|处理|管|来人|关心|出来|尽快|协调|上门|查|整治|取缔)")


def _asks_for_the_rule(text, scores):
    asked = ASKS_RULE.search(text)
    if not asked or not QUESTION.search(text) or PLEA.search(text) or "举报" in text:
        return scores
    strongest = max((s for c, (s, _p) in scores.items() if c.startswith("EP-") and c != POLICY), default=0.0)
    if strongest:
        total, phrases = scores.get(POLICY, (0.0, []))
        scores[POLICY] = (total + strongest, phrases + [ASKED + asked.group(0)])
    return scores


EPIDEMIC_PRIOR = 1.5  # Shouhu runs an epidemic hotline: on a tie the EP-* topic is the likelier reading


def _rule_probabilities(scores):
    """Summed weights → shares that look like probabilities; a lone weak match stays weak."""
    positive = {c: s * (EPIDEMIC_PRIOR if c.startswith("EP-") else 1.0) for c, (s, _p) in scores.items() if s > 0}
    if not positive:
        return {}
    total = sum(positive.values())
    strength = 1.0 - 2.718 ** (-max(positive.values()) / 3.0)  # 3 points of evidence ≈ 0.63
    # Equal weights must not be decided by set order (it changes with the hash seed): the more specific
    # evidence — more characters of matched phrases — goes first, then the category code, for a stable answer.
    ranked = sorted(positive, key=lambda c: (-positive[c], -sum(len(p) for p in scores[c][1]), c))
    return {c: strength * positive[c] / total - 1e-9 * rank for rank, c in enumerate(ranked)}


def get_model():
    """The active trained pipeline (cached; a newer version is picked up within MODEL_RECHECK seconds)."""
    from triage.models import ClassifierModel

    now = time.monotonic()
    if now - _model["checked"] < MODEL_RECHECK:
        return _model["pipeline"], _model["n"]
    latest = ClassifierModel.objects.filter(active=True).order_by("-version").values("version", "n_examples").first()
    with _lock:
        if latest is None:
            _model.update(version=None, pipeline=None, n=0)
        elif latest["version"] != _model["version"]:
            import joblib

            from triage.features import FEATURES_VERSION

            blob = ClassifierModel.objects.values_list("blob", flat=True).get(version=latest["version"])
            pipeline = joblib.load(io.BytesIO(bytes(blob)))
            if getattr(pipeline, "shouhu_features_version", 1) != FEATURES_VERSION:
                pipeline = None  # trained under other features: rules only until triage.retrain refits it
            _model.update(version=latest["version"], pipeline=pipeline,
                          n=latest["n_examples"] if pipeline is not None else 0)
        _model["checked"] = now
    return _model["pipeline"], _model["n"]


def model_weight(n_examples):
    """How much the model counts against the rules: little at 100 examples, most at many thousands."""
    return min(0.8, n_examples / (n_examples + 1000.0)) if n_examples else 0.0


def classify(text, top=3, use_rules=True, use_model=True):
    """→ {"code", "name", "score", "reason", "alternatives": [{"code", "name", "score"}]} (code None if unsure)."""
    _rules_list, names = get_rules()
    scores = rule_scores(text) if use_rules else {}
    rule_p = _rule_probabilities(scores)
    pipeline, n = get_model() if use_model else (None, 0)
    model_p = {}
    if pipeline is not None and text.strip():
        from triage.features import scores as model_scores

        model_p = model_scores(pipeline, [text])[0]
    w = model_weight(n) if rule_p else (1.0 if model_p else 0.0)
    combined = {}
    for code in set(rule_p) | set(model_p):
        combined[code] = (1 - w) * rule_p.get(code, 0.0) + w * model_p.get(code, 0.0)
    ranked = sorted(combined.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < MIN_SCORE:
        return {"code": None, "name": "", "score": ranked[0][1] if ranked else 0.0,
                "reason": "没有足够的关键词,请话务员选择", "alternatives": _alts(ranked, names, top)}
    code, score = ranked[0]
    reasons = []
    phrases = scores.get(code, (0, []))[1]
    asked = [p[len(ASKED):] for p in phrases if p.startswith(ASKED)]
    words = [p for p in phrases if not p.startswith(ASKED)]
    if words:
        said = "、".join(f"'{p}'" for p in sorted(words, key=len, reverse=True)[:3])
        reasons.append(f"含{said}")
    if asked:
        reasons.append(f"问的是规定本身('{asked[0]}')")
    if code in model_p and w > 0:
        reasons.append(f"模型 {model_p[code]:.2f}")
    return {"code": code, "name": names.get(code, code), "score": round(score, 3),
            "reason": f"{'；'.join(reasons)} → {names.get(code, code)}", "alternatives": _alts(ranked[1:], names, top - 1)}


def _alts(ranked, names, top):
    return [{"code": c, "name": names.get(c, c), "score": round(s, 3)} for c, s in ranked[:top] if s > 0.05]


def department_for(category_code, street=None):
    """派单目录: → {"code", "name", "territorial", "reason"} or None. street: OrgUnit or (code, name)."""
    from triage.models import DispatchRule

    rule = DispatchRule.objects.select_related("category", "department").filter(
        category__code=category_code).first()
    if rule is None:
        return None
    if rule.territorial and street:
        code, name = (street.code, street.name) if hasattr(street, "code") else street
        return {"code": code, "name": name, "territorial": True,
                "reason": f"{rule.category.name}属地办理 → {name}"}
    department = rule.resolve_department()
    if department is None:
        return None
    return {"code": department.code, "name": department.name, "territorial": False,
            "reason": f"派单目录:{rule.category.name} → {department.name}"}


# ---- training -------------------------------------------------------------------------------------

def train(min_examples=20, now=None, examples=None):
    """Fit the model on all confirmed examples and store it as a new version. → ClassifierModel or None."""
    import joblib
    import sklearn

    from triage.features import make_pipeline
    from triage.models import ClassifierModel, TrainingExample

    if examples is None:
        rows = list(TrainingExample.objects.filter(category__active=True).values_list("id", "text", "category__code"))
    else:
        rows = [(0, t, c) for t, c in examples]
    labels = {c for _i, _t, c in rows}
    if len(rows) < min_examples or len(labels) < 2:
        return None
    pipeline = make_pipeline(n_examples=len(rows), taxonomy=category_taxonomy())
    pipeline.fit([t for _i, t, _c in rows], [c for _i, _t, c in rows])
    buffer = io.BytesIO()
    joblib.dump(pipeline, buffer, compress=3)
    with transaction.atomic():
        last = ClassifierModel.objects.select_for_update().order_by("-version").first()
        model = ClassifierModel.objects.create(
            version=(last.version + 1) if last else 1, n_examples=len(rows),
            last_example_id=max(i for i, _t, _c in rows), sklearn_version=sklearn.__version__,
            labels=sorted(labels), blob=buffer.getvalue())
    invalidate_model()
    return model


def category_taxonomy():
    """(name, code) pairs for the taxonomy matcher: each active category's name counts for itself and for
    every active ancestor ("口罩价格" is also vocabulary of its parent topic)."""
    from hotline.models import Category

    rows = {pk: (code, name, parent) for pk, code, name, parent in
            Category.objects.filter(active=True).values_list("pk", "code", "name", "parent_id")}
    pairs = []
    for code, name, parent in rows.values():
        pairs.append((name, code))
        seen = set()
        while parent in rows and parent not in seen:  # guard against a cycle an admin could make
            seen.add(parent)
            pairs.append((name, rows[parent][0]))
            parent = rows[parent][2]
    return pairs


def active_model_is_stale():
    """The active model was fitted under older features (see triage.features.FEATURES_VERSION)."""
    from triage.models import ClassifierModel

    get_model()
    return _model["version"] is not None and _model["pipeline"] is None and ClassifierModel.objects.filter(
        active=True, version=_model["version"]).exists()


def pending_examples():
    """Confirmed examples added since the active model was trained."""
    from triage.models import ClassifierModel, TrainingExample

    last = ClassifierModel.objects.filter(active=True).order_by("-version").first()
    return TrainingExample.objects.filter(id__gt=last.last_example_id if last else 0).count()
