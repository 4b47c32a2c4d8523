import pytest
from django.urls import reverse

from volunteers import services
from volunteers.models import Assignment, Post, Volunteer
from volunteers.tests.factories import MONDAY, gate_post, id_number, phone, sign_up, volunteer_user


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def setup(org, personas):
    gate = gate_post(personas.yh_worker, org.yonghe_gate)
    duty = gate_post(personas.xf_liaison, org.xingfu, "幸福街道联络办值班", templates=((8, 20),),
                     kind=Post.Kind.DUTY, staffing=Post.Staffing.STAFF)
    user = volunteer_user(org.yonghe, personas.yh_worker, 1, name="赵茂源")
    services.generate_roster(personas.yh_worker, gate, MONDAY)
    services.generate_roster(personas.xf_liaison, duty, MONDAY)
    pending = sign_up(org.yonghe, 2, name="孙报名")
    return {"gate": gate, "duty": duty, "user": user, "pending": pending}


def test_public_sign_up_form_needs_no_login_and_refuses_a_duplicate(client, org):
    url = reverse("volunteers:signup", args=[org.yonghe.code])
    page = client.get(url)
    assert page.status_code == 200 and "永和社区" in page.content.decode()
    data = {"name": "赵茂源", "phone": phone(7), "id_number": id_number(7), "availability": ["0-morning", "1-evening"],
            "party_member": "on", "skills": ["gate"], "honour_consent": "on"}
    response = client.post(url, data)
    assert response.status_code == 302 and response.url.endswith("/thanks/")
    volunteer = Volunteer.objects.get()
    assert volunteer.party_member and volunteer.honour_consent and volunteer.availability == ["0-morning", "1-evening"]
    again = client.post(url, data)
    assert again.status_code == 200 and "无需重复报名" in again.content.decode()
    assert Volunteer.objects.count() == 1


def test_sign_up_form_shows_field_errors(client, org):
    response = client.post(reverse("volunteers:signup", args=[org.yonghe.code]),
                           {"name": "张", "phone": "123", "id_number": "1"})
    text = response.content.decode()
    assert "手机号码应为11位" in text and "身份证号码应为18位" in text and "请至少选择一个" in text


def test_sign_up_for_a_non_community_is_404(client, org):
    assert client.get(reverse("volunteers:signup", args=[org.xingfu.code])).status_code == 404


def test_approver_sees_the_initial_password_once(client, personas, setup):
    login(client, personas.yh_worker)
    url = reverse("volunteers:signup_detail", args=[setup["pending"].pk])
    response = client.post(url, {"to_status": "approved"})
    text = response.content.decode()
    assert response.status_code == 200 and "初始密码" in text
    volunteer = Volunteer.objects.get(pk=setup["pending"].pk)
    assert volunteer.status == "approved" and volunteer.user.username in text
    assert "初始密码" not in client.get(url).content.decode()


@pytest.mark.parametrize("name", ["signup_detail"])
def test_outsider_gets_404_on_yongxing_volunteers(client, personas, setup, name):
    login(client, personas.outsider)
    assert client.get(reverse(f"volunteers:{name}", args=[setup["pending"].pk])).status_code == 404
    assert client.post(reverse(f"volunteers:{name}", args=[setup["pending"].pk]),
                       {"to_status": "approved"}).status_code == 404
    assert "孙报名" not in client.get(reverse("volunteers:signup_list") + "?status=all").content.decode()


@pytest.mark.parametrize("post_key", ["gate", "duty"])
@pytest.mark.parametrize("view", ["post_detail", "post_print", "post_export", "post_qr"])
def test_outsider_gets_404_on_yongxing_and_xingfu_posts(client, personas, setup, post_key, view):
    login(client, personas.outsider)
    assert client.get(reverse(f"volunteers:{view}", args=[setup[post_key].pk])).status_code == 404


def test_outsider_cannot_touch_shifts_or_assignments(client, personas, setup):
    login(client, personas.outsider)
    assignment = Assignment.objects.filter(shift__post=setup["gate"]).first()
    assert client.post(reverse("volunteers:shift_assign", args=[assignment.shift_id]),
                       {"user": setup["user"].pk}).status_code == 404
    assert client.post(reverse("volunteers:assignment_remove", args=[assignment.pk])).status_code == 404
    assert client.post(reverse("volunteers:check_in", args=[assignment.pk])).status_code == 404
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_roster_page_print_and_excel(client, personas, setup):
    login(client, personas.yh_worker)
    week = f"?week={MONDAY}"
    page = client.get(reverse("volunteers:post_detail", args=[setup["gate"].pk]) + week)
    assert page.status_code == 200 and "赵茂源" in page.content.decode()
    assert "gap-banner" not in page.content.decode()  # one all-week volunteer fills both daily shifts
    printed = client.get(reverse("volunteers:post_print", args=[setup["gate"].pk]) + week)
    assert "排班表" in printed.content.decode()
    xlsx = client.get(reverse("volunteers:post_export", args=[setup["gate"].pk]) + week)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    names = [row[3] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert "赵茂源" in names and len(names) == 14


def test_qr_page_has_an_svg_pointing_at_the_check_in_url(client, personas, setup):
    login(client, personas.yh_worker)
    text = client.get(reverse("volunteers:post_qr", args=[setup["gate"].pk])).content.decode()
    assert "<svg" in text and setup["gate"].qr_token in text


def test_duty_page_lists_units_without_a_roster(client, personas, setup):
    login(client, personas.xf_liaison)
    text = client.get(reverse("volunteers:duty") + f"?start={MONDAY}&end={MONDAY}").content.decode()
    assert "花桥社区" in text  # a community of 幸福街道 with no duty roster
    assert "幸福街道联络办值班" in text


def test_my_shifts_page_and_scan_page(client, setup):
    login(client, setup["user"])
    assert client.get(reverse("volunteers:my_shifts")).status_code == 200
    response = client.post(reverse("volunteers:scan", args=[setup["gate"].qr_token]), {"action": "in"}, follow=True)
    assert response.status_code == 200  # refused or accepted, with a message either way
    assert list(response.context["messages"])


def test_pages_render_for_managers(client, personas, setup):
    login(client, personas.yh_worker)
    for name in ["index", "signup_list", "post_list", "hours", "duty", "my_shifts"]:
        assert client.get(reverse(f"volunteers:{name}")).status_code == 200, name
    assert client.get(reverse("volunteers:honour", args=[setup["gate"].unit.parent.parent.code])).status_code == 200
    poster = client.get(reverse("volunteers:signup_poster", args=["320611001007"]))
    assert poster.status_code == 200 and "<svg" in poster.content.decode()


def test_signup_poster_is_for_the_communitys_managers_only(client, personas, org):
    login(client, personas.outsider)
    assert client.get(reverse("volunteers:signup_poster", args=[org.yonghe.code])).status_code == 403


def test_volunteer_is_sent_to_my_shifts_and_cannot_manage(client, setup):
    login(client, setup["user"])
    assert client.get(reverse("volunteers:index")).url == reverse("volunteers:my_shifts")
    assert client.get(reverse("volunteers:signup_list")).status_code == 403


def test_a_worker_typing_in_a_neighbours_sign_up_does_not_link_their_own_account(client, org, personas):
    login(client, personas.yh_worker)
    client.post(reverse("volunteers:signup", args=[org.yonghe.code]),
                {"name": "邻居", "phone": phone(8), "id_number": id_number(8), "availability": ["0-morning"]})
    assert Volunteer.objects.get().user is None
    login(client, personas.volunteer)
    client.post(reverse("volunteers:signup", args=[org.yonghe.code]),
                {"name": "赵茂源", "phone": phone(9), "id_number": id_number(9), "availability": ["0-morning"]})
    assert Volunteer.objects.get(name="赵茂源").user == personas.volunteer


def test_hours_export_lists_people_and_total(client, personas, setup):
    from io import BytesIO

    from openpyxl import load_workbook

    a = Assignment.objects.filter(user=setup["user"]).order_by("start").first()
    services.check_in(setup["user"], a, now=a.start)
    services.check_out(setup["user"], a, now=a.end)
    login(client, personas.yh_worker)
    response = client.get(reverse("volunteers:hours") + f"?start={MONDAY}&end={MONDAY}&format=xlsx")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=4, values_only=True))
    assert rows[0][:3] == ("赵茂源", 4.0, 1) and rows[-1][:2] == ("合计", 4.0)


def test_signup_list_finds_a_volunteer_by_exact_phone_or_id_through_the_blind_index(client, personas, setup):
    login(client, personas.yh_worker)
    url = reverse("volunteers:signup_list")
    assert "赵茂源" in client.get(url, {"q": phone(1)}).content.decode()
    assert "赵茂源" in client.get(url, {"q": id_number(1)}).content.decode()
    assert "赵茂源" not in client.get(url, {"q": phone(2)}).content.decode()
    assert "孙报名" in client.get(url, {"q": "孙"}).content.decode()
