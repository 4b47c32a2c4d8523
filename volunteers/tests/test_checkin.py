from datetime import timedelta

import pytest

from core import jobs
from core.models import Job, Notification
from volunteers import selectors, services
from volunteers.models import Assignment, Post
from volunteers.tests.factories import MONDAY, at, gate_post, volunteer_user

A = Assignment.Status


@pytest.fixture
def booked(org, personas):
    """A volunteer on the 07:00–11:00 gate shift on MONDAY."""
    gate = gate_post(personas.yh_worker, org.yonghe_gate)
    user = volunteer_user(org.yonghe, personas.yh_worker, 1, name="赵茂源")
    shift = services.ensure_shifts(gate, MONDAY, 1)[0]
    return services.assign(personas.yh_worker, shift, user)


def test_check_in_before_the_window_opens_is_refused_with_the_opening_time(booked):
    with pytest.raises(services.CheckInRefused) as exc:
        services.check_in(booked.user, booked, now=at(MONDAY, 6, 29))
    assert "06:30起" in exc.value.messages[0]
    booked.refresh_from_db()
    assert booked.status == A.SCHEDULED


def test_check_in_within_tolerance_is_on_time(booked):
    a = services.check_in(booked.user, booked, now=at(MONDAY, 6, 45))
    assert a.status == A.CHECKED_IN and not a.late


def test_late_check_in_is_accepted_and_marked_late(booked):
    a = services.check_in(booked.user, booked, now=at(MONDAY, 7, 25))
    assert a.status == A.CHECKED_IN and a.late


def test_check_in_after_the_shift_ended_is_refused(booked):
    with pytest.raises(services.CheckInRefused) as exc:
        services.check_in(booked.user, booked, now=at(MONDAY, 11, 0))
    assert "已于11:00结束" in exc.value.messages[0]


def test_someone_else_cannot_check_in_for_you(booked, personas):
    with pytest.raises(services.CheckInRefused):
        services.check_in(personas.yh_worker, booked, now=at(MONDAY, 7))


def test_qr_check_in_finds_the_open_shift_at_this_post(booked):
    post = booked.shift.post
    with pytest.raises(services.CheckInRefused) as exc:
        services.check_in_at_post(booked.user, post, now=at(MONDAY, 5))
    assert "还没到签到时间" in exc.value.messages[0]
    a = services.check_in_at_post(booked.user, post, now=at(MONDAY, 6, 50))
    assert a.pk == booked.pk and a.status == A.CHECKED_IN
    with pytest.raises(services.CheckInRefused):
        services.check_in_at_post(booked.user, post, now=at(MONDAY, 7))


def test_hours_add_up_within_the_shift_window(org, personas, booked):
    services.check_in(booked.user, booked, now=at(MONDAY, 6, 40))  # early arrival is not counted
    a = services.check_out(booked.user, booked, now=at(MONDAY, 11, 30))  # staying late is not counted either
    assert a.credited_minutes == 240
    midday = services.ensure_shifts(booked.shift.post, MONDAY, 1)[1]  # 11–15
    b = services.assign(personas.yh_worker, midday, booked.user)
    services.check_in(booked.user, b, now=at(MONDAY, 11, 20))
    services.check_out(booked.user, b, now=at(MONDAY, 14, 5))
    b.refresh_from_db()
    assert b.credited_minutes == 165
    assert selectors.my_hours(booked.user, at(MONDAY, 0), at(MONDAY + timedelta(days=1), 0)) == round(405 / 60, 1)
    rows = selectors.hours_by_person(Assignment.objects.all(), at(MONDAY, 0), at(MONDAY, 23))
    assert rows[0]["minutes"] == 405 and rows[0]["done"] == 2 and rows[0]["lates"] == 1
    assert selectors.hours_by_person(Assignment.objects.all(), at(MONDAY, 12), at(MONDAY, 23)) == []


def test_worker_marks_no_shows_and_a_late_arrival_still_counts(booked, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.mark_no_shows(now=at(MONDAY, 7, 20)) == 0
        assert services.mark_no_shows(now=at(MONDAY, 7, 31)) == 1
    booked.refresh_from_db()
    assert booked.status == A.NO_SHOW
    assert Notification.objects.filter(title__startswith="缺勤").exists()
    a = services.check_in(booked.user, booked, now=at(MONDAY, 8))
    assert a.status == A.CHECKED_IN and a.late


def test_forgotten_check_out_is_closed_at_the_shift_end(booked):
    services.check_in(booked.user, booked, now=at(MONDAY, 7))
    assert services.auto_check_out(now=at(MONDAY, 12)) == 0
    assert services.auto_check_out(now=at(MONDAY, 13, 1)) == 1
    booked.refresh_from_db()
    assert booked.auto_checked_out and booked.credited_minutes == 240


def test_reminders_are_queued_once_per_assignment_and_sent_in_app(booked, django_capture_on_commit_callbacks):
    now = at(MONDAY, 5)
    assert services.send_reminders(now=now) == 1
    services.send_reminders(now=now)
    assert Job.objects.filter(task="volunteers.remind_one").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        jobs.run_due(now=now)
    note = Notification.objects.get(recipient=booked.user, title__startswith="班次提醒")
    assert "永和佳苑东门" in note.title and "07:00" in note.title


def test_periodic_tasks_are_registered():
    assert {"volunteers.mark_no_shows", "volunteers.remind", "volunteers.remind_one"} <= set(jobs.TASKS)


# --- who is on duty -------------------------------------------------------------------------------------------

def test_on_duty_lists_people_scheduled_or_checked_in_within_the_unit(org, personas, booked):
    assert list(selectors.on_duty(org.yonghe_jiayuan, at=at(MONDAY, 8))) == [booked.user]
    assert list(selectors.on_duty(org.yonghe, at=at(MONDAY, 8))) == [booked.user]
    assert list(selectors.on_duty(org.huaqiao, at=at(MONDAY, 8))) == []
    assert list(selectors.on_duty(org.yonghe_gate, at=at(MONDAY, 12))) == []
    services.check_in(booked.user, booked, now=at(MONDAY, 10, 50))
    # still at the gate after the shift: on duty until checked out
    assert list(selectors.on_duty(org.yonghe_gate, at=at(MONDAY, 11, 15))) == [booked.user]
    services.check_out(booked.user, booked, now=at(MONDAY, 11, 20))
    assert list(selectors.on_duty(org.yonghe_gate, at=at(MONDAY, 11, 30))) == []


def test_no_show_is_not_on_duty(org, booked):
    services.mark_no_shows(now=at(MONDAY, 8))
    assert list(selectors.on_duty(org.yonghe, at=at(MONDAY, 8, 5))) == []


def test_shifts_for_returns_the_users_assignments_in_range(booked):
    assert list(selectors.shifts_for(booked.user, at(MONDAY, 0), at(MONDAY, 23))) == [booked]
    assert list(selectors.shifts_for(booked.user, at(MONDAY, 11), at(MONDAY, 23))) == []


def test_units_without_roster_names_units_with_uncovered_days(org, personas):
    office = gate_post(personas.xf_liaison, org.xingfu, "幸福街道联络办值班", templates=((8, 20), (20, 8)),
                       kind=Post.Kind.DUTY, staffing=Post.Staffing.STAFF)
    services.generate_roster(personas.xf_liaison, office, MONDAY, days=3)
    units = [org.xingfu, org.chenqiao, org.yonghe]
    assert selectors.units_without_roster(units, MONDAY, MONDAY + timedelta(days=2)) == [org.chenqiao, org.yonghe]
    assert selectors.units_without_roster(units, MONDAY, MONDAY + timedelta(days=3)) == units
    coverage = selectors.roster_coverage([org.xingfu], MONDAY, MONDAY + timedelta(days=4))
    assert coverage[org.xingfu] == [MONDAY + timedelta(days=3), MONDAY + timedelta(days=4)]


def test_honour_list_shows_only_those_who_opted_in(org, personas):
    proud = volunteer_user(org.yonghe, personas.yh_worker, 1, name="赵茂源", honour_consent=True, party_member=True)
    volunteer_user(org.yonghe, personas.yh_worker, 2, name="不公开")
    gate = gate_post(personas.yh_worker, org.yonghe_gate)
    shift = services.ensure_shifts(gate, MONDAY, 1)[0]
    a = services.assign(personas.yh_worker, shift, proud)
    services.check_in(proud, a, now=at(MONDAY, 7))
    services.check_out(proud, a, now=at(MONDAY, 11))
    rows = selectors.honour_list(org.yonghe)
    assert [(r["name"], r["hours"], r["party_member"]) for r in rows] == [("赵茂源", 4.0, True)]


def test_staff_on_a_duty_roster_are_not_marked_no_show_and_stay_on_duty(org, personas):
    office = gate_post(personas.yh_worker, org.yonghe, "社区办公室夜间值班", templates=((20, 8),),
                       kind=Post.Kind.OFFICE, staffing=Post.Staffing.STAFF)
    services.generate_roster(personas.yh_worker, office, MONDAY, days=1)
    assert services.mark_no_shows(now=at(MONDAY, 23)) == 0
    assert list(selectors.on_duty(org.yonghe, at=at(MONDAY, 23))) == [personas.yh_worker]
