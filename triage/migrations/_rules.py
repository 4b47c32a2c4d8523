"""Shared step of the rule migrations (0003 on): the loader skips modules whose name starts with "_".

Idempotent: a new phrase is inserted once; a changed weight is applied only where the row still holds the
weight an earlier migration shipped, so an administrator's own edit is kept.
"""


def apply_rules(apps, add, reweight):
    Category = apps.get_model("hotline", "Category")
    TopicRule = apps.get_model("triage", "TopicRule")
    categories = {c.code: c for c in Category.objects.filter(code__in=set(add) | {c for c, _p in reweight})}
    for code, phrases in add.items():
        if code in categories:
            for phrase, weight in phrases:
                TopicRule.objects.get_or_create(category=categories[code], phrase=phrase, defaults={"weight": weight})
    for (code, phrase), (old, new) in reweight.items():
        if code in categories:
            TopicRule.objects.filter(category=categories[code], phrase=phrase, weight=old).update(weight=new)
