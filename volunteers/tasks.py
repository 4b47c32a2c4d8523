"""Worker jobs: no-show marks and automatic check-out, shift reminders (deduplicated per assignment)."""

from datetime import timedelta

from core.jobs import task
from volunteers.services import checkin


@task("volunteers.mark_no_shows", every=timedelta(minutes=5))
def mark_no_shows():
    return {"no_show": checkin.mark_no_shows(), "auto_checked_out": checkin.auto_check_out()}


@task("volunteers.remind", every=timedelta(minutes=15))
def remind():
    return {"queued": checkin.send_reminders()}


@task("volunteers.remind_one")
def remind_one(assignment):
    return checkin.remind_one(assignment)
