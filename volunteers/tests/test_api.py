import pytest

from volunteers import services
from volunteers.models import Assignment, Post
from volunteers.tests.factories import MONDAY, gate_post, volunteer_user

API = "/api/v1/volunteers/"


@pytest.fixture
def setup(org, personas):
    gate = gate_post(personas.yh_worker, org.yonghe_gate)
    duty = gate_post(personas.xf_liaison, org.xingfu, "幸福街道联络办值班", templates=((8, 20),),
                     kind=Post.Kind.DUTY, staffing=Post.Staffing.STAFF)
    user = volunteer_user(org.yonghe, personas.yh_worker, 1, name="赵茂源")
    return {"gate": gate, "duty": duty, "user": user}


def test_roster_via_api_generate_list_assign_and_remove(client, personas, setup):
    client.force_login(personas.yh_worker)
    gate = setup["gate"]
    assert [p["name"] for p in client.get(API + "posts/").json()] == ["永和佳苑东门"]
    result = client.post(API + f"posts/{gate.pk}/generate/", {"week": str(MONDAY)}).json()
    assert result == {"shifts": 14, "created": 14}
    shifts = client.get(API + f"posts/{gate.pk}/shifts/?week={MONDAY}").json()
    assert len(shifts) == 14 and shifts[0]["assignments"][0]["name"] == "赵茂源" and shifts[0]["gap"] == 0
    first = shifts[0]["assignments"][0]["id"]
    assert client.delete(API + f"assignments/{first}/").status_code == 204
    again = client.post(API + f"shifts/{shifts[0]['id']}/assignments/", {"user": setup["user"].pk})
    assert again.status_code == 201
    clash = client.post(API + f"shifts/{shifts[0]['id']}/assignments/", {"user": setup["user"].pk})
    assert clash.status_code == 400 and "已在本班次" in clash.json()["detail"]


def test_check_in_via_api_with_the_post_token(client, personas, setup):
    shift = services.ensure_shifts(setup["gate"], MONDAY, 1)[0]
    services.assign(personas.yh_worker, shift, setup["user"])
    client.force_login(setup["user"])
    refused = client.post(API + "checkins/", {"post_token": setup["gate"].qr_token})
    assert refused.status_code == 400  # the Monday shift is long over (or not yet open)
    assert client.get(API + "me/shifts/").status_code == 200


def test_outsider_gets_404_on_other_streets_rosters_via_api(client, personas, setup):
    services.generate_roster(personas.yh_worker, setup["gate"], MONDAY)
    client.force_login(personas.outsider)
    assert client.get(API + "posts/").json() == []
    for post in (setup["gate"], setup["duty"]):
        assert client.get(API + f"posts/{post.pk}/shifts/").status_code == 404
        assert client.post(API + f"posts/{post.pk}/generate/").status_code == 404
    assignment = Assignment.objects.first()
    assert client.post(API + f"shifts/{assignment.shift_id}/assignments/",
                       {"user": setup["user"].pk}).status_code == 404
    assert client.delete(API + f"assignments/{assignment.pk}/").status_code == 404
    assert client.post(API + "checkins/", {"assignment": assignment.pk}).status_code == 404
    assert client.get(API + "on-duty/?unit=320611001007").status_code == 404


def test_on_duty_and_units_without_roster_via_api(client, personas, setup, org):
    services.generate_roster(personas.yh_worker, setup["gate"], MONDAY)
    client.force_login(personas.yh_worker)
    rows = client.get(API + f"on-duty/?unit={org.yonghe.code}&at={MONDAY}T08:00:00").json()
    assert [r["name"] for r in rows] == ["赵茂源"]
    missing = client.get(API + f"units-without-roster/?start={MONDAY}&end={MONDAY}").json()
    assert [m["name"] for m in missing] == ["永和社区"]


def test_api_requires_login(client):
    assert client.get(API + "posts/").status_code in (401, 403)
