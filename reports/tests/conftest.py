"""A hand-computed day (2020-02-07) of hotline work, built through the hotline services at explicit times.

Letters name the orders; the expected figures in test_daily.py are worked out by hand from this list:
  A 02-06 23:30 EP-PRICE → 幸福街道 23:40, accepted 00:20, signed 11:00 (due 12:00), satisfied 14:00
  B 02-07 09:00 EP-PERSON report → 幸福街道 09:10, accepted 10:30 (late), never replied (overdue), urged, supervised
  C 02-07 10:00 OTHER consult wechat, answered directly 10:05, callback 基本满意 11:00
  D 02-07 11:00 OTHER complaint web, major → 永兴街道 11:10, not accepted (not yet due)
  E 02-07 12:00 OTHER help → 幸福街道 12:05, returned 12:30, → 陈桥街道 13:00, accepted 13:30
  F 02-07 13:00 EP-PERSON report, merged into B 13:10
  G 02-07 14:00 OTHER consult, cancelled 14:10
  H 02-05 09:00 OTHER consult → 幸福街道, signed 02-05 15:00, redo (unsatisfied) 02-07 09:00
  I 02-07 23:50 EP-LIVING help (crosses midnight: due 02-08 12:00), not dispatched
  J 02-08 00:10 OTHER consult (next day)
  K 02-07 08:00 OTHER consult, answered directly 08:05, callback 联系不上 08:30
"""

from types import SimpleNamespace

import pytest

from hotline import services
from hotline.models import Category
from hotline.tests.conftest import at, categories  # noqa: F401

NOW = "2020-02-08 08:00"


@pytest.fixture
def day(personas, org, categories):  # noqa: F811
    p, s = personas, services
    cat = Category.objects.get

    def new(when, code, order_type="consult", **kw):
        return s.intake(p.operator, content=kw.pop("content", f"{code} 诉求 {when}"), order_type=order_type,
                        category=cat(code=code), caller_phone="13812345678", now=at(when), **kw)

    def handle(order, unit, t_dispatch, t_accept, accepter):
        order = s.dispatch(order, p.dispatcher, lead_unit=unit, now=at(t_dispatch))
        return s.accept(order, accepter, now=at(t_accept))

    a = handle(new("2020-02-06 23:30", "EP-PRICE", "complaint"), org.xingfu, "2020-02-06 23:40", "2020-02-07 00:20",
               p.xf_liaison)
    a = s.reply(a, p.xf_handler, text="已核查商户并责令整改", now=at("2020-02-07 10:30"))
    a = s.signoff(a, p.xf_head, now=at("2020-02-07 11:00"))
    a = s.approve(a, p.operator, now=at("2020-02-07 11:30"))
    a = s.callback(a, p.operator, result="satisfied", now=at("2020-02-07 14:00"))

    h = handle(new("2020-02-05 09:00", "OTHER"), org.xingfu, "2020-02-05 09:10", "2020-02-05 09:20", p.xf_liaison)
    h = s.reply(h, p.xf_handler, text="已答复", now=at("2020-02-05 14:00"))
    h = s.signoff(h, p.xf_head, now=at("2020-02-05 15:00"))
    h = s.approve(h, p.operator, now=at("2020-02-05 16:00"))

    k = new("2020-02-07 08:00", "OTHER")
    k = s.answer(k, p.operator, text="按知识库答复", now=at("2020-02-07 08:05"))
    k = s.callback(k, p.operator, result="unreachable", now=at("2020-02-07 08:30"))

    b = new("2020-02-07 09:00", "EP-PERSON", "report", content="永和佳苑有湖北返回人员未居家隔离")
    h = s.redo(h, p.operator, note="来电人不满意,未上门", now=at("2020-02-07 09:00"))
    b = handle(b, org.xingfu, "2020-02-07 09:10", "2020-02-07 10:30", p.xf_liaison)

    c = new("2020-02-07 10:00", "OTHER", channel="wechat")
    c = s.answer(c, p.operator, text="按知识库答复", now=at("2020-02-07 10:05"))
    c = s.callback(c, p.operator, result="basic", now=at("2020-02-07 11:00"))

    d = new("2020-02-07 11:00", "OTHER", "complaint", channel="web", major=True, content="药店口罩高价销售")
    d = s.dispatch(d, p.dispatcher, lead_unit=org.yongxing, now=at("2020-02-07 11:10"))

    e = new("2020-02-07 12:00", "OTHER", "help")
    e = s.dispatch(e, p.dispatcher, lead_unit=org.xingfu, now=at("2020-02-07 12:05"))
    e = s.return_order(e, p.xf_liaison, reason="不属于本街道辖区", now=at("2020-02-07 12:30"))
    e = handle(e, org.chenqiao, "2020-02-07 13:00", "2020-02-07 13:30", p.outsider)

    f = new("2020-02-07 13:00", "EP-PERSON", "report")
    f = s.merge(f, p.dispatcher, into=b, now=at("2020-02-07 13:10"))
    g = new("2020-02-07 14:00", "OTHER")
    g = s.cancel(g, p.dispatcher, reason="重复来电", now=at("2020-02-07 14:10"))
    b = s.urge(b, p.supervisor, note="请尽快处理", now=at("2020-02-07 15:00"))
    b = s.supervise(b, p.supervisor, note="挂牌督办", now=at("2020-02-07 16:00"))
    i = new("2020-02-07 23:50", "EP-LIVING", "help")
    j = new("2020-02-08 00:10", "OTHER")
    return SimpleNamespace(a=a, b=b, c=c, d=d, e=e, f=f, g=g, h=h, i=i, j=j, k=k, now=at(NOW))
