from datetime import timedelta

from core.jobs import task


@task("community.purge_entries", every=timedelta(hours=6))
def purge_old_entries():
    """Gate entries are kept SHOUHU_GATE_RETENTION_DAYS (default 28), then deleted."""
    from community.services import purge_entries

    return {"deleted": purge_entries()}


@task("community.missed_checks", every=timedelta(minutes=30))
def missed_checks():
    from community.services import raise_missed_checks

    return {"alerts": raise_missed_checks()}
