from datetime import timedelta

from django.conf import settings

from core.jobs import task


@task("triage.retrain", every=timedelta(hours=1))
def retrain(**kwargs):
    """Retrain the topic model when enough new confirmations/corrections have come in since the last one."""
    from triage.classify import pending_examples, train

    if pending_examples() >= getattr(settings, "TRIAGE_RETRAIN_MIN", 200):
        model = train()
        return {"version": model.version if model else None}
    return {"version": None}
