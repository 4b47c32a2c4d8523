import uuid
from datetime import date
from types import SimpleNamespace

import pytest


@pytest.fixture(autouse=True)
def fresh_caches():
    """A test's rolled-back rows (an edited rule, a unit) must not survive in the per-process caches."""
    from community import caches

    caches.clear()
    yield
    caches.clear()


def key():
    return uuid.uuid4().hex


@pytest.fixture
def homes(org, personas):
    """Two households in 永和佳苑 and one in a 花桥社区 compound, built through the services."""
    from community import services

    worker = personas.yh_worker
    h1 = services.add_household(worker, org.yonghe_jiayuan, "3", "301", entrance="2")
    h2 = services.add_household(worker, org.yonghe_jiayuan, "5", "102", entrance="1")
    zhang = services.add_resident(worker, h1, "张建国", "13812345678", "32061119500512001X", "户主", elderly=True)
    li = services.add_resident(worker, h1, "李秀英", "13912345678", "", "配偶")
    wang = services.add_resident(worker, h2, "王磊", "13700001111")
    hq_compound = next(u for u in org.huaqiao.subtree() if u.kind == "compound")
    hq_gate = next(u for u in hq_compound.subtree() if u.kind == "gate")
    hq_home = services.add_household(personas.hq_worker, hq_compound, "1", "101")
    hq_res = services.add_resident(personas.hq_worker, hq_home, "周红", "13600002222")
    return SimpleNamespace(h1=h1, h2=h2, zhang=zhang, li=li, wang=wang, hq_compound=hq_compound, hq_gate=hq_gate,
                           hq_home=hq_home, hq_res=hq_res)


@pytest.fixture
def case(homes, personas):
    from community import services

    return services.open_case(personas.yh_worker, homes.wang, "武汉返通", date(2020, 2, 1), date(2020, 2, 14))
