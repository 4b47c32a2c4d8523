from datetime import timedelta

from core.jobs import task


@task("hotline.mark_warnings", every=timedelta(minutes=5))
def mark_warnings():
    from hotline.services import mark_warnings as run

    return run()
