"""One order from intake to closed through the real UI, each step as its role (phone viewport)."""

import re

import pytest

from conftest import login
from hotline.models import KnowledgeEntry, WorkOrder

SHOTS = "/tmp/hotline-shots"


def as_user(page, username):
    page.context.clear_cookies()
    login(page, username)


def shot(page, name):
    import os

    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def act(page, order_url, action, fill=None):
    page.goto(order_url)
    button = page.locator(f'[data-testid="do-{action}"]')
    if not button.is_visible():
        page.locator(f'form[data-action="{action}"]').locator("xpath=..").locator("summary").click()
    for selector, value in (fill or {}).items():
        element = page.locator(f'form[data-action="{action}"] [name="{selector}"]')
        if element.evaluate("e => e.tagName") == "SELECT":
            element.select_option(label=value)
        else:
            element.fill(value)
    button.click()
    page.wait_for_load_state()


@pytest.mark.browser
def test_order_from_intake_to_closed_through_the_ui(page, personas, categories):
    KnowledgeEntry.objects.create(question="哄抬口罩价格如何举报", answer="可拨打12345或12315举报,市场监管部门依法查处。",
                                  tags="口罩,价格")
    as_user(page, "operator")
    page.goto(page.base_url + "/hotline/intake/")
    page.fill("#id_caller_phone", "13812345678")
    page.fill("#id_caller_name", "张先生")
    page.select_option("#id_order_type", "report")
    page.select_option("#id_category", "EP-PRICE")
    page.fill("#id_address", "陈桥街道某药店")
    page.fill("#id_content", "药店口罩一只卖10元,哄抬价格")
    page.wait_for_selector("#kb .hit")  # knowledge-base hits while typing
    shot(page, "intake-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "intake-desktop")
    page.click("button[value=order]")
    page.wait_for_url(re.compile(r"/hotline/orders/\d+/$"))
    order_url = page.url
    order = WorkOrder.objects.get()
    assert order.number in page.content()
    page.set_viewport_size({"width": 390, "height": 844})

    as_user(page, "dispatcher")
    act(page, order_url, "dispatch", {"lead_unit": "幸福街道"})
    assert "待签收" in page.locator('[data-testid="state"]').inner_text()

    as_user(page, "xf_liaison")
    page.goto(page.base_url + "/hotline/queue/inbox/")
    assert order.number in page.content()
    shot(page, "inbox-phone")
    act(page, order_url, "accept")
    assert "办理中" in page.locator('[data-testid="state"]').inner_text()

    as_user(page, "xf_handler")
    act(page, order_url, "reply", {"text": "经查,该药店已被责令整改,口罩恢复正常价格。"})

    as_user(page, "xf_head")
    act(page, order_url, "signoff")
    assert "陈主任" in page.locator('[data-testid="signature"]').inner_text()

    as_user(page, "operator")
    act(page, order_url, "approve")
    act(page, order_url, "callback", {"result": "满意"})
    assert "已办结" in page.locator('[data-testid="state"]').inner_text()
    shot(page, "order-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "order-desktop")
    order.refresh_from_db()
    assert order.state == "closed"
    assert list(order.events.values_list("action", flat=True)) == [
        "intake", "dispatch", "accept", "reply", "signoff", "approve", "callback"]
