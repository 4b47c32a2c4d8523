"""The gate page is usable with one thumb on a 390px phone; screenshots go to /tmp for review."""

from datetime import date, timedelta

import pytest

from conftest import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gate_page_fits_a_phone_and_targets_are_big(page, org, personas):
    login(page, "volunteer")
    page.goto(f"{page.base_url}/community/gates/{org.yonghe_gate.pk}/")
    page.click(".seg-btn[data-value=vehicle]")
    page.screenshot(path="/tmp/community-gate-390.png", full_page=True)
    page.screenshot(path="/tmp/community-gate-390-fold.png")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling
    submit = page.locator('[data-testid="submit"]').bounding_box()
    assert submit["height"] >= 56 and submit["y"] + submit["height"] <= 844  # always in reach at the bottom
    for selector in [".seg-btn", ".kbd button:visible", ".step"]:
        items = page.locator(selector)
        for box in [items.nth(i).bounding_box() for i in range(min(3, items.count()))]:
            assert box["height"] >= 44, selector


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dashboard_screens(page, org, personas):
    from community import services
    from community.rules import ensure_default_rules
    from community.tests.conftest import key

    ensure_default_rules()
    home = services.add_household(personas.yh_worker, org.yonghe_jiayuan, "3", "301", entrance="2")
    res = services.add_resident(personas.yh_worker, home, "王磊", "13700001111")
    services.open_case(personas.yh_worker, res, "武汉返通", date.today(), date.today())
    for plate, temp in [("苏F12345", "36.5"), ("鄂A12345", "36.6"), ("苏F88888", "37.9")]:
        services.register_entry(personas.volunteer, org.yonghe_gate, idempotency_key=key(), direction="in",
                                mode="vehicle", plate=plate,
                                people=[dict(name="司机", phone="13800001234", temperature=temp)])
    login(page, "yh_worker")
    page.goto(f"{page.base_url}/community/")
    page.screenshot(path="/tmp/community-dashboard-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="/tmp/community-dashboard-1280.png", full_page=True)
    assert page.locator('[data-testid="community-tiles"] .tile').count() == 6


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_quarantine_and_resident_link_screens(page, org, personas):
    from community import services
    from community.services.tokens import case_token

    home = services.add_household(personas.yh_worker, org.yonghe_jiayuan, "5", "602", entrance="1")
    res = services.add_resident(personas.yh_worker, home, "周强国", "13712340602")
    case = services.open_case(personas.yh_worker, res, "1月23日自武汉返通", date.today(), date.today())
    services.change_period(personas.yh_worker, case, date.today() + timedelta(days=14), "同住人发热,延长观察")
    page.goto(f"{page.base_url}/community/q/{case_token(case)}/")
    page.fill("#t", "37.6")
    page.fill("#s", "乏力")
    page.click("form:has(#t) button[type=submit]")
    page.wait_for_selector(".flash-success")
    page.screenshot(path="/tmp/community-resident-link-390.png", full_page=True)
    assert "周强国" not in page.content()  # the link shows a masked name only
    login(page, "yh_worker")
    page.goto(f"{page.base_url}/community/quarantine/{case.pk}/")
    page.screenshot(path="/tmp/community-case-390.png", full_page=True)
    assert "37.6" in page.content()
