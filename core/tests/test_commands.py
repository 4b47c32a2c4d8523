from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.models import Membership
from core import jobs
from core.models import Job
from places.models import OrgUnit

CALLS = []


@jobs.task("test.command_job")
def command_job():
    CALLS.append(1)


def test_worker_once_runs_due_jobs(db, capsys):
    jobs.enqueue("test.command_job")
    call_command("worker", once=True)
    assert CALLS == [1]
    assert Job.objects.get(task="test.command_job").status == Job.Status.DONE
    assert "ran" in capsys.readouterr().out


def test_load_demo_is_idempotent_and_prints_logins(db, capsys, settings):
    settings.DEMO = True
    call_command("load_demo", print_logins=True)
    first = (OrgUnit.objects.count(), get_user_model().objects.count(), Membership.objects.count())
    out = capsys.readouterr().out
    assert "xf_liaison" in out and "Shouhu@2020" in out
    call_command("load_demo")
    assert (OrgUnit.objects.count(), get_user_model().objects.count(), Membership.objects.count()) == first
    assert get_user_model().objects.get(username="xf_liaison").check_password("Shouhu@2020")


def test_demo_users_have_no_password_outside_demo_mode(db, settings):
    settings.DEMO = False
    call_command("load_demo")
    assert not get_user_model().objects.get(username="operator").has_usable_password()


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["ok"] is True
