from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import login
from volunteers import services
from volunteers.tests.factories import id_number


@pytest.mark.browser
def test_sign_up_approve_roster_check_in(page, personas, org):
    # 1. a resident signs up on the public form (no login), ticking every time slot with the quick-pick
    page.goto(page.base_url + f"/volunteers/join/{org.yonghe.code}/")
    page.fill("#id_name", "赵茂源")
    page.fill("#id_phone", "139 6280 0101")
    page.fill("#id_id_number", id_number(42))
    page.check("#id_party_member")
    page.click("[data-pick=all]")
    page.check("#id_honour_consent")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=signup-thanks]")

    # 2. the community worker approves it and is shown the one-time initial password
    login(page, "yh_worker")
    page.goto(page.base_url + "/volunteers/signups/")
    page.click("text=赵茂源")
    page.click("[data-testid=decide-approved]")
    username = page.inner_text("[data-testid=new-username]")
    password = page.inner_text("[data-testid=new-password]")

    # 3. a gate shift that is open now; the worker generates the week's roster from the page
    start = timezone.localtime() - timedelta(minutes=10)
    post = services.create_post(personas.yh_worker, org.yonghe_gate, "永和佳苑东门")
    services.add_template(personas.yh_worker, post, start.time().replace(second=0, microsecond=0),
                          (start + timedelta(hours=3)).time().replace(second=0, microsecond=0))
    page.goto(page.base_url + f"/volunteers/posts/{post.pk}/?week={start.date()}")
    page.click("[data-testid=generate]")
    page.wait_for_selector(".flash-success")
    assert "赵茂源" in page.inner_text("[data-testid=roster]")

    # 4. the volunteer logs in on the phone and checks in
    page.context.clear_cookies()
    login(page, username, password)
    page.goto(page.base_url + "/volunteers/me/")
    page.click("[data-testid=check-in]")
    assert "签到成功" in page.inner_text(".flash-success")
    assert "已签到" in page.inner_text("[data-testid=my-shift]")
