"""Changes to places, rules or the model drop the in-memory caches that depend on them."""

from django.db.models.signals import post_delete, post_save

from hotline.models import Category
from places.models import OrgUnit
from triage.classify import invalidate_model, invalidate_rules
from triage.models import ClassifierModel, Landmark, Road, TopicRule
from triage.router import invalidate


def connect():
    hooks = [(OrgUnit, invalidate), (Road, invalidate), (Landmark, invalidate), (TopicRule, invalidate_rules),
             (Category, invalidate_rules), (ClassifierModel, invalidate_model)]
    for model, handler in hooks:
        uid = f"triage-{model.__name__}-{handler.__name__}"
        post_save.connect(handler, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(handler, sender=model, dispatch_uid=uid + "-delete")
