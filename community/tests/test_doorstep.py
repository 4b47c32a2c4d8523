from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from community import services
from community.models import Alert, QuarantineCase, StaffProfile
from community.tests.conftest import key


def _png():
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return SimpleUploadedFile("done.png", out.getvalue(), content_type="image/png")


def test_high_risk_task_goes_only_to_staff_who_volunteered(personas, homes, case):
    request = services.request_service(personas.yh_worker, homes.h2, "supplies", "代购蔬菜", risk="high", case=case)
    with pytest.raises(ValidationError) as exc:
        services.assign_service(personas.yh_worker, request)  # nobody has volunteered yet
    assert "高风险" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.assign_service(personas.yh_worker, request, personas.yh_worker)
    StaffProfile.objects.create(user=personas.volunteer, high_risk_ok=True)
    request = services.assign_service(personas.yh_worker, request, personas.volunteer)
    assert request.assignee == personas.volunteer


def test_low_risk_task_is_assigned_to_whoever_is_on_duty(personas, homes, case):
    request = services.request_service(personas.yh_worker, homes.h2, "garbage", risk="low", case=case)
    request = services.assign_service(personas.yh_worker, request)
    assert request.assignee == personas.yh_worker  # fallback without a roster: the community's workers


def test_done_needs_note_and_accepts_only_images(personas, homes, case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    request = services.request_service(personas.yh_worker, homes.h2, "thermometer", case=case)
    request = services.assign_service(personas.yh_worker, request, personas.yh_worker)
    with pytest.raises(ValidationError):
        services.advance_service(personas.yh_worker, request, "done", "")
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        services.advance_service(personas.yh_worker, request, "done", "已送达", fake)
    assert "照片" in exc.value.messages[0]
    request = services.advance_service(personas.yh_worker, request, "done", "已送达门口", _png())
    assert request.status == "done" and request.photo
    assert [e.status for e in request.events.all()] == ["new", "assigned", "done"]


def test_outsider_cannot_move_a_service(personas, homes, case):
    request = services.request_service(personas.yh_worker, homes.h2, "garbage", case=case)
    from django.core.exceptions import PermissionDenied

    with pytest.raises((PermissionDenied, ValidationError)):
        services.assign_service(personas.hq_worker, request)


def _inspect(org, user, temp="36.5", id_number="32061119500512001X"):
    return services.record_inspection(user, org.port, kind="car", idempotency_key=key(), plate="鄂B12345",
                                      origin="武汉", people=[dict(name="张建国", id_number=id_number,
                                                                temperature=temp)])


@pytest.fixture
def port_user(org):
    from conftest import make_user

    return make_user("port_team", org.port, "community_worker", "王俊荣")


def test_referral_opens_quarantine_case_in_persons_community(org, personas, homes, port_user):
    inspection = _inspect(org, port_user, temp="37.8")
    assert set(inspection.flags) >= {"鄂牌车辆", "来自湖北"} and any("发热" in f for f in inspection.flags)
    person = inspection.people.get()
    case = services.refer_person(port_user, person, reason="检查站发现发热", start_date=date(2020, 2, 7),
                                 end_date=date(2020, 2, 20))
    assert isinstance(case, QuarantineCase) and case.resident == homes.zhang and case.community == org.yonghe
    with pytest.raises(ValidationError):
        services.refer_person(port_user, person, reason="x", start_date=date(2020, 2, 7), end_date=date(2020, 2, 20))


def test_referral_of_unknown_person_alerts_chosen_community(org, personas, homes, port_user):
    inspection = _inspect(org, port_user, id_number="42010619850312002X")
    with pytest.raises(ValidationError):
        services.refer_person(port_user, inspection.people.get(), reason="鄂牌", start_date=date(2020, 2, 7),
                              end_date=date(2020, 2, 20))
    alert = services.refer_person(port_user, inspection.people.get(), reason="鄂牌", start_date=date(2020, 2, 7),
                                  end_date=date(2020, 2, 20), community=org.huaqiao)
    assert isinstance(alert, Alert) and alert.community == org.huaqiao and alert.kind == "referral"
