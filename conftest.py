"""Fixed personas shared by every app's tests (STYLE.md §9), built on the real demo district tree.

district operator; 幸福街道 liaison and head; 花桥社区 worker; a 陈桥街道 liaison who must be denied;
a volunteer at 永和佳苑. Use them as fixtures: `def test_x(personas): personas.operator ...`.
"""

import os
import shutil
from types import SimpleNamespace

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

# Data the installation ships as data migrations. A transactional test (browser tests, threads) starts from a
# database that an earlier transactional test flushed, so these are put back first. serialized_rollback is not
# used: it clashes with content types recreated by other tests' flushes.
DATA_MIGRATIONS = [
    ("hotline.migrations.0002_default_categories", "add_defaults", "hotline.Category"),
    ("community.migrations.0002_default_alert_rules", "add_rules", "community.AlertRule"),
    ("supplies.migrations.0002_story_items", "forwards", "supplies.Item"),
    ("triage.migrations.0003_default_rules", "add_defaults", "triage.TopicRule"),
]

CHROMIUM = os.environ.get("SHOUHU_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
_browser_skips = []


@pytest.fixture(autouse=True)
def _installation_data(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    for module, function, model in DATA_MIGRATIONS:
        if not apps.get_model(model).objects.exists():
            getattr(import_module(module), function)(apps, None)


@pytest.fixture
def org(db):
    from places.demo import demo_csv
    from places.models import OrgUnit
    from places.services import import_places

    import_places(demo_csv())
    units = {u.code: u for u in OrgUnit.objects.all()}
    by_name = {u.name: u for u in units.values()}
    return SimpleNamespace(
        district=units["320611"],
        xingfu=by_name["幸福街道"],
        chenqiao=by_name["陈桥街道"],
        yongxing=by_name["永兴街道"],
        huaqiao=by_name["花桥社区"],
        yonghe=by_name["永和社区"],
        lidu=by_name["丽都社区"],
        yonghe_jiayuan=by_name["永和佳苑"],
        yonghe_gate=by_name["永和佳苑东门"],
        market=by_name["区市场监督管理局"],
        cdc=by_name["区疾病预防控制中心"],
        port=by_name["长江口水上联合检查站"],
        by_name=by_name,
        by_code=units,
    )


def make_user(username, unit, role, name=""):
    from django.contrib.auth import get_user_model

    from accounts.models import Membership

    user = get_user_model().objects.create_user(username=username, password="pw-Shouhu-2020", first_name=name)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def personas(org):
    return SimpleNamespace(
        operator=make_user("operator", org.district, "operator", "王军"),
        dispatcher=make_user("dispatcher", org.district, "dispatcher", "李娜"),
        supervisor=make_user("supervisor", org.district, "supervisor", "周强"),
        auditor=make_user("auditor", org.district, "auditor", "孙审"),
        xf_liaison=make_user("xf_liaison", org.xingfu, "liaison", "刘洋"),
        xf_head=make_user("xf_head", org.xingfu, "head", "陈主任"),
        xf_handler=make_user("xf_handler", org.xingfu, "handler", "何敏"),
        hq_worker=make_user("hq_worker", org.huaqiao, "community_worker", "陆金伟"),
        yh_worker=make_user("yh_worker", org.yonghe, "community_worker", "陈婷婷"),
        volunteer=make_user("volunteer", org.yonghe_jiayuan, "volunteer", "赵茂源"),
        outsider=make_user("cq_liaison", org.chenqiao, "liaison", "冯梦婷"),
        market_liaison=make_user("scjg_liaison", org.market, "liaison", "市场监管联络员"),
        password="pw-Shouhu-2020",
    )


@pytest.fixture
def browser():
    """A real headless Chromium (Debian package) driven by Playwright; loud skip when absent."""
    if not CHROMIUM:
        _browser_skips.append(1)
        pytest.skip("NO CHROMIUM FOUND: browser test skipped (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base_url = live_server.url
    yield pg
    context.close()


def login(page, username, password="pw-Shouhu-2020"):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def pytest_terminal_summary(terminalreporter):
    if _browser_skips:
        terminalreporter.write_sep("!", f"{len(_browser_skips)} BROWSER TEST(S) SKIPPED: NO CHROMIUM FOUND", red=True)


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    vendor = "PostgreSQL" if "postgresql" in db["ENGINE"] else "SQLite"
    where = f"{db.get('HOST')}:{db.get('PORT')}/{db.get('NAME')}" if vendor == "PostgreSQL" else str(db["NAME"])
    browser = CHROMIUM or "NONE (browser tests will be skipped)"
    return [f"shouhu database: {vendor} ({where})", f"shouhu browser: {browser}"]
