from datetime import timedelta

from accounts import services
from core.jobs import task


@task("accounts.purge_login_failures", every=timedelta(hours=6))
def purge_login_failures():
    return {"deleted": services.purge_login_failures()}
