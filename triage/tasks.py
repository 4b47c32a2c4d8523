from datetime import timedelta

from django.conf import settings

from core.jobs import task


@task("triage.retrain", every=timedelta(hours=1))
def retrain(**kwargs):
    """Retrain the topic model when enough new confirmations/corrections have come in since the last one, or
    when the active model was fitted under older features (after an upgrade)."""
    from triage.classify import active_model_is_stale, invalidate_model, pending_examples, train

    invalidate_model()
    if active_model_is_stale() or pending_examples() >= getattr(settings, "TRIAGE_RETRAIN_MIN", 200):
        model = train()
        return {"version": model.version if model else None}
    return {"version": None}
