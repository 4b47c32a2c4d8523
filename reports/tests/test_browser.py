"""Each dashboard opens in a real browser (phone viewport) with its charts and their data tables."""

import pytest

from conftest import login
from hotline import services
from hotline.models import Category

pytestmark = pytest.mark.browser


@pytest.fixture
def some_orders(personas, org, categories):
    for code, unit in (("EP-PERSON", org.xingfu), ("EP-PRICE", org.xingfu), ("OTHER", org.chenqiao)):
        order = services.intake(personas.operator, content="浏览器测试诉求", order_type="report",
                                category=Category.objects.get(code=code))
        services.dispatch(order, personas.dispatcher, lead_unit=unit)


@pytest.mark.parametrize("username, path, heading", [
    ("supervisor", "/reports/dashboard/", "港闸区 · 数据看板"),
    ("xf_liaison", "/reports/dashboard/", "幸福街道 · 数据看板"),
    ("hq_worker", "/reports/dashboard/", "花桥社区 · 社区看板"),
])
def test_dashboards_open_with_charts(page, transactional_db, some_orders, username, path, heading):
    login(page, username)
    page.goto(page.base_url + path)
    assert heading in page.inner_text("h1")
    if username != "hq_worker":
        assert page.locator("svg.chart").count() >= 1
        page.locator("details summary", has_text="查看数据表").first.click()
        assert page.locator("figure.chart-box details[open] table").count() == 1


def test_daily_report_screen_opens(page, transactional_db, some_orders):
    from django.utils import timezone

    login(page, "supervisor")
    page.goto(page.base_url + f"/reports/daily/{timezone.localdate().isoformat()}/")
    assert "港闸区12345政务服务热线日报" in page.inner_text("h1")
    assert "一、总体情况" in page.content()
