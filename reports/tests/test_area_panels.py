"""The community dashboard shows the other areas' figures through their dashboard_summary selectors."""

from django.core.management import call_command

from community import selectors as community_selectors
from places.models import OrgUnit
from reports import selectors
from supplies import selectors as supplies_selectors
from volunteers import selectors as volunteers_selectors


def test_each_area_reports_tiles_for_a_unit(db, settings):
    settings.DEMO = True
    call_command("load_demo")
    yonghe = OrgUnit.objects.get(name="永和社区")
    community = community_selectors.dashboard_summary(yonghe)
    assert [t["title"] for t in community] == ["今日出入登记", "待处置预警", "居家隔离中", "未完成上门服务"]
    assert community[2]["value"] >= 1  # the demo puts people of 永和佳苑 in home quarantine
    lidu = OrgUnit.objects.get(name="丽都社区")
    assert community_selectors.dashboard_summary(lidu)[2]["value"] == 0  # nothing of 永和 leaks into 丽都
    assert volunteers_selectors.dashboard_summary(yonghe)[0]["title"] == "当前在岗"
    stock = supplies_selectors.dashboard_summary(lidu)
    assert stock[0]["value"] >= 1  # 文峰超市's 84 disinfectant reached 丽都社区
    assert all(isinstance(t["value"], int) for t in community + stock)
    panels = selectors._community(yonghe, None) + selectors._volunteers(yonghe, None) + selectors._supplies(lidu, None)
    assert len(panels) == 7
