"""Triage suggestions for the intake form, and the record of what the operator kept."""

from django.db import transaction

from core import audit
from triage.classify import classify, department_for
from triage.models import Feedback, TrainingExample
from triage.router import OK, STREET_ONLY, route

FIELDS = ("street", "community", "compound", "category", "department")


def suggest(text, address, *, user=None, exclude=None, now=None):
    """→ {"text", "address", "routing": {status, confidence, reason},
          "street"|"community"|"compound"|"category"|"department": {"code", "name", "score", "reason"} or None,
          "alternatives": [{"code", "name", "score"}] (other categories),
          "duplicates": [{"id", "number", "score", "text_similarity", "same_place", "reason"}]}
    Duplicates are searched only for a `user` (scoped to what that user may see): open hotline orders of the
    routed community (or street), `exclude`: the order itself once it exists."""
    text, address = (text or "").strip(), (address or "").strip()
    routed = route(address) if address else None
    place = {"street": None, "community": None, "compound": None}
    if routed and routed.status in (OK, STREET_ONLY):
        for level in place:
            value = getattr(routed, level)
            if value:
                place[level] = {"code": value[0], "name": value[1], "score": round(routed.confidence, 3),
                                "reason": routed.reason}
    topic = classify(text) if text else {"code": None, "alternatives": [], "score": 0.0, "reason": ""}
    category = ({"code": topic["code"], "name": topic["name"], "score": topic["score"], "reason": topic["reason"]}
                if topic["code"] else None)
    department = None
    if category:
        street = (place["street"]["code"], place["street"]["name"]) if place["street"] else None
        found = department_for(category["code"], street=street)
        if found:
            department = {"code": found["code"], "name": found["name"], "territorial": found["territorial"],
                          "score": round(category["score"] * (place["street"]["score"] if found["territorial"] else 1), 3),
                          "reason": found["reason"]}
    return {
        "text": text, "address": address,
        "routing": routed.as_dict() if routed else {"status": "unknown", "confidence": 0.0, "reason": "未填写地址"},
        **place, "category": category, "department": department,
        "alternatives": topic.get("alternatives", []),
        "duplicates": _duplicates(user, text, place, exclude, now) if user is not None and text else [],
    }


def _duplicates(user, text, place, exclude, now):
    from hotline.assist import similar_open_orders
    from places.models import OrgUnit

    codes = [place[level]["code"] for level in ("street", "community") if place[level]]
    if not codes:
        return []
    paths = dict(OrgUnit.objects.filter(code__in=codes).values_list("code", "path"))
    street = paths.get(place["street"]["code"], "") if place["street"] else ""
    community = paths.get(place["community"]["code"], "") if place["community"] else ""
    return similar_open_orders(user, text, street_path=street, community_path=community, exclude=exclude, now=now)


@transaction.atomic
def record_feedback(user, suggestion, accepted_values):
    """Keep what was suggested and what the operator kept or corrected.

    accepted_values: {"street"|"community"|"compound"|"category"|"department": code or ""}; a field left
    out was not shown or not decided and is neither confirmed nor corrected. The accepted category (if any)
    becomes a TrainingExample: "confirmed" when it was the suggestion, "corrected" otherwise.
    → Feedback"""
    from hotline.models import Category

    accepted = {k: (v or "") for k, v in (accepted_values or {}).items() if k in FIELDS}
    suggested = {k: ((suggestion.get(k) or {}).get("code") or "") for k in FIELDS}
    corrected = sorted(k for k, v in accepted.items() if v != suggested[k])
    feedback = Feedback.objects.create(
        user=user if getattr(user, "pk", None) else None, text=suggestion.get("text", ""),
        address=suggestion.get("address", "")[:300], suggested=suggested, accepted=accepted,
        corrected_fields=corrected)
    code = accepted.get("category")
    if code and feedback.text:
        category = Category.objects.filter(code=code).first()
        if category is None:
            raise ValueError(f"未知分类“{code}”")
        TrainingExample.objects.create(
            text=feedback.text, category=category, created_by=feedback.user,
            source=TrainingExample.Source.CORRECTED if "category" in corrected else TrainingExample.Source.CONFIRMED)
    audit.record(user, "triage.feedback", obj=feedback, detail={"corrected": corrected})
    return feedback
