"""Any change to the places the router knows drops its in-memory index."""

from django.db.models.signals import post_delete, post_save

from places.models import OrgUnit
from triage.models import Landmark, Road
from triage.router import invalidate


def connect():
    for model in (OrgUnit, Road, Landmark):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"triage-router-{model.__name__}-save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"triage-router-{model.__name__}-delete")
