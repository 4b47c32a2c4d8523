"""The 对外接口 page in a real browser: a supervisor sees a failed push and retries it."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import login
from core import jobs
from hotline import services as hotline
from interop import services

SHOTS = os.environ.get("SHOUHU_SHOTS", "")


@pytest.mark.browser
def test_supervisor_retries_a_failed_push(page, personas, org, keys, settings):
    settings.UPPER_WEBHOOK_URL, settings.UPPER_WEBHOOK_SECRET = "http://127.0.0.1:9/closed", "s"
    upper, _ = services.receive_order(keys.district.user, platform_number="NT2020020700012",
                                      content="港闸区某药店口罩一只卖十元,请核查", category="EP-PRICE")
    hotline.dispatch(upper.order, personas.dispatcher, lead_unit=org.xingfu)
    services.scan_events()
    for hours in range(12):
        jobs.run_due(now=timezone.now() + timedelta(hours=2 * hours))
    assert services.dead_letters().count() == 2

    login(page, "supervisor")
    page.goto(page.base_url + "/interop/")
    assert page.locator("#dead").get_by_text("NT2020020700012").count() == 2
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/interop-390.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=f"{SHOTS}/interop-1280.png", full_page=True)
    page.locator("#dead").get_by_role("button", name="重新推送", exact=True).first.click()
    page.wait_for_url("**/interop/")
    assert "已重新排队" in page.content()
    assert services.dead_letters().count() == 1


@pytest.mark.browser
def test_api_docs_render_offline_with_open311(page, personas):
    login(page, "operator")
    page.goto(page.base_url + "/api/docs")
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=20000)
    assert page.get_by_text("/open311/v2/requests.{format}").count() >= 1
    assert page.get_by_text("/api/v1/interop/upper/orders").count() >= 1
    if SHOTS:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=f"{SHOTS}/interop-docs-1280.png")
