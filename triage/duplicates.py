"""Probable duplicates: open orders about the same matter (similar text, same place, recent).

`find()` works on any iterable of candidate rows (id, text, community_code, created), so the hotline can
feed it a narrow queryset (same street, open, within `days`, newest first, bounded) and tests plain tuples.
Similarity is the cosine of character-bigram sets (robust to word order and to the operator's phrasing),
raised for the same community (lowered elsewhere), minus a little per day of age.
"""

import math
import re
import unicodedata
from datetime import timedelta

from django.utils import timezone

DEFAULT_DAYS = 7
MIN_SCORE = 0.35
SAME_PLACE_FACTOR = 1.3
OTHER_PLACE_FACTOR = 0.6  # a similar complaint elsewhere is rarely the same matter
STREET_FACTOR = 1.0  # the community is not known, the candidates are of the same street
# Words every epidemic complaint shares say nothing about which matter it is.
STOP_BIGRAMS = {"疫情", "社区", "小区", "请问", "反映", "投诉", "举报", "希望", "我们", "你们", "他们", "现在", "没有",
                "一下", "工作", "人员", "问题", "情况", "处理", "有关", "部门", "港闸", "南通"}


_NON_WORD = re.compile(r"[\W_]+")


def shingles(text):
    """The set of character bigrams (cheap: this runs on every candidate row)."""
    folded = _NON_WORD.sub("", unicodedata.normalize("NFKC", text).lower())
    return set(map("".join, zip(folded, folded[1:]))) - STOP_BIGRAMS


def stored_shingles(value):
    """Shingles an order keeps with itself (a set, or the space-joined string of `shingle_text()`)."""
    return set(value.split()) if isinstance(value, str) else set(value)


def shingle_text(text):
    """What the hotline may store per order (e.g. a TextField) so the search skips re-folding each candidate."""
    return " ".join(sorted(shingles(text)))


def cosine(a, b):
    """Cosine of the binary bigram vectors: |a ∩ b| / √(|a|·|b|)."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def _row(candidate):
    """(id, text, community_code, created, precomputed shingles or None)."""
    if isinstance(candidate, dict):
        return (candidate["id"], candidate["text"], candidate.get("community_code"), candidate.get("created"),
                candidate.get("shingles"))
    row = tuple(candidate)
    return row[:4] + ((row[4] if len(row) > 4 else None),)


def find(text, community_code, candidates, days=DEFAULT_DAYS, now=None, limit=5, min_score=MIN_SCORE,
         same_street=False):
    """→ [{"id", "score", "text_similarity", "same_place", "reason"}], best first.

    candidates: iterable of (id, text, community_code, created[, shingles]) tuples or dicts with those keys;
    `shingles` (from shingle_text(), stored with the order) saves re-folding every candidate.
    Rows older than `days` are skipped; a row without `created` is taken as current.
    same_street: the caller passes candidates of the order's street only; with no community known for the
    order they are then neither raised nor lowered ("同一街道")."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    query = shingles(text)
    out = []
    for candidate in candidates:
        pk, other_text, other_community, created, stored = _row(candidate)
        if created is not None and created < since:
            continue
        other = stored_shingles(stored) if stored is not None else shingles(other_text or "")
        similarity = cosine(query, other)
        same_place = bool(community_code) and community_code == other_community
        street_only = same_street and not community_code
        score = similarity * (SAME_PLACE_FACTOR if same_place else STREET_FACTOR if street_only else OTHER_PLACE_FACTOR)
        if created is not None:
            score -= 0.01 * max(0.0, (now - created).total_seconds() / 86400)
        score = round(min(score, 1.0), 3)
        if score >= min_score:
            reason = f"文字相似 {similarity:.0%}" + (",同一社区" if same_place else ",同一街道" if street_only else "")
            out.append({"id": pk, "score": score, "text_similarity": round(similarity, 3),
                        "same_place": same_place, "reason": reason})
    out.sort(key=lambda r: -r["score"])
    return out[:limit]
