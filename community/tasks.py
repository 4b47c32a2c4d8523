from datetime import timedelta

from core.jobs import task


# atomic=False: each batch commits on its own, so gates keep registering while millions of rows go (as the
# work of one job, the whole purge would be one transaction); a rerun after a crash finds only what is left.
@task("community.purge_entries", every=timedelta(hours=6), atomic=False)
def purge_old_entries(batch=None, limit=None):
    """Gate entries are kept SHOUHU_GATE_RETENTION_DAYS (default 28), then deleted, at most `limit` rows
    (SHOUHU_RETENTION_MAX_ROWS) per run; when rows remain, the same job runs again a minute later."""
    from community.services import purge_entries
    from core.retention import follow_up

    rule = purge_entries(batch=batch, limit=limit)
    if rule.capped:
        follow_up("community.purge_entries", args={"batch": batch, "limit": limit})
    return {"deleted": rule.done, "more": rule.capped}


@task("community.missed_checks", every=timedelta(minutes=30))
def missed_checks():
    from community.services import raise_missed_checks

    return {"alerts": raise_missed_checks()}
