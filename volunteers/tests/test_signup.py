import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts import access
from core.models import Notification
from volunteers import services
from volunteers.models import Volunteer
from volunteers.tests.factories import id_number, sign_up


@pytest.fixture
def pending(org):
    return sign_up(org.yonghe, 1, name="赵茂源", party_member=True, availability=["0-morning", "bogus", "9-night"])


def test_sign_up_stores_person_data_encrypted_and_keeps_only_valid_availability(pending):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM volunteers_volunteer WHERE id = %s", [pending.pk])
        raw_id, raw_phone = cursor.fetchone()
    assert id_number(1) not in raw_id and pending.phone not in raw_phone
    assert pending.id_number == id_number(1)
    assert pending.availability == ["0-morning"]
    assert pending.status == Volunteer.Status.PENDING


def test_same_id_signing_up_again_is_refused_politely(org, pending):
    with pytest.raises(services.DuplicateSignup) as exc:
        sign_up(org.lidu, 1, name="赵茂源")
    assert "无需重复报名" in exc.value.messages[0]
    assert Volunteer.objects.count() == 1


def test_declined_person_may_sign_up_again(org, personas, pending):
    services.decide(personas.yh_worker, pending, "declined", "人手已足够")
    again = sign_up(org.yonghe, 1)
    assert again.pk != pending.pk


def test_bad_id_number_is_rejected_with_a_clear_message(org):
    with pytest.raises(ValidationError) as exc:
        services.sign_up(org.yonghe, name="张三", phone="13900000000", id_number="320611199001011230")
    assert "校验位" in exc.value.messages[0]


def test_sign_up_only_at_a_community(org):
    with pytest.raises(ValidationError):
        sign_up(org.xingfu, 5)


def test_approval_creates_an_account_with_a_volunteer_membership_and_one_time_password(
        personas, pending, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        volunteer, password = services.decide(personas.yh_worker, pending, "approved")
    assert password and volunteer.user.check_password(password)
    roles = [(m.unit.name, m.role) for m in access.memberships(volunteer.user)]
    assert roles == [("永和社区", "volunteer")]
    assert Notification.objects.filter(recipient=volunteer.user, title__contains="已通过").exists()
    assert list(volunteer.history.values_list("to_status", flat=True)) == ["pending", "approved"]


def test_approval_links_an_existing_account_without_a_new_password(org, personas):
    volunteer = sign_up(org.yonghe, 2, user=personas.volunteer)
    volunteer, password = services.decide(personas.yh_worker, volunteer, "approved")
    assert password is None and volunteer.user == personas.volunteer


def test_decline_sends_the_message_to_a_volunteer_with_an_account(org, personas, django_capture_on_commit_callbacks):
    volunteer = sign_up(org.yonghe, 3, user=personas.volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(personas.yh_worker, volunteer, "declined", "本小区值守人员已足够,谢谢")
    note = Notification.objects.get(recipient=personas.volunteer)
    assert "已足够" in note.body


def test_outsider_cannot_decide_and_declined_is_final(personas, pending):
    with pytest.raises(Exception):
        services.decide(personas.outsider, pending, "approved")
    services.decide(personas.yh_worker, pending, "declined")
    with pytest.raises(services.InvalidTransition):
        services.decide(personas.yh_worker, pending, "approved")


def test_transitions_available_follow_the_table(personas, pending):
    assert services.available_transitions(personas.yh_worker, pending) == ["approved", "declined"]
    assert services.available_transitions(personas.hq_worker, pending) == []
    assert services.available_transitions(personas.xf_liaison, pending) == []


def test_suspending_deactivates_the_volunteer_membership(personas, pending):
    volunteer, _pw = services.decide(personas.yh_worker, pending, "approved")
    services.decide(personas.yh_worker, volunteer, "suspended")
    access.forget(volunteer.user)
    assert access.memberships(volunteer.user) == []
