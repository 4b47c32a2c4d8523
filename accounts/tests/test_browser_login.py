import pytest

from conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_logs_in_and_sees_own_home(page, personas):
    page.goto(page.base_url + "/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "xf_liaison")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert page.locator(".flash-error").is_visible()
    login(page, "xf_liaison")
    assert page.locator("h1").inner_text().startswith("刘洋")
    assert "幸福街道" in page.locator("main").inner_text()
    assert page.locator("nav.mainnav >> text=组织机构").count() == 1
    assert page.locator("nav.mainnav >> text=审计日志").count() == 0


def test_auditor_home_and_language_switch(page, personas):
    login(page, "auditor")
    assert "审计员" in page.locator("main").inner_text()
    page.click("nav.mainnav >> text=审计日志")
    assert page.locator("h1").inner_text() == "审计日志"
    page.click("footer button[value=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("nav.mainnav >> text=Audit log").count() == 1
