from datetime import date

import pytest

from hotline import kpis, services
from hotline.tests.conftest import at

pytestmark = pytest.mark.django_db


def test_kpis_follow_the_design_definitions(flow, personas, org):
    # 1: on time, satisfied.  2: accepted late, replied late, unsatisfied → redo.  3: returned.  4: direct answer.
    one = flow.callback_pending()
    services.callback(one, personas.operator, result="satisfied")
    two = flow.dispatched(when="2020-02-07 10:00")
    two = services.accept(two, personas.xf_liaison, now=at("2020-02-11 09:00"))
    two = services.reply(two, personas.xf_handler, text="x", now=at("2020-02-20 09:00"))
    two = services.signoff(two, personas.xf_head, now=at("2020-02-20 10:00"))
    two = services.approve(two, personas.operator, now=at("2020-02-20 11:00"))
    services.redo(two, personas.operator, note="没有解决", now=at("2020-02-20 12:00"))
    three = flow.dispatched()
    services.return_order(three, personas.xf_liaison, reason="不属于本街道")
    four = services.answer(flow.new(), personas.operator, text="按规定执行")
    services.callback(four, personas.operator, result="unreachable")

    period = dict(start=date(2020, 1, 1), end=date(2030, 1, 1))
    xf = dict(unit=org.xingfu, **period)
    assert kpis.timely_accept_rate(**xf) == kpis.Rate(1, 2)  # three lost its lead unit when returned
    assert kpis.on_time_reply_rate(**xf).denominator == 2
    assert kpis.return_rate(**xf) == kpis.Rate(1, 3)
    assert kpis.redo_rate(**xf) == kpis.Rate(1, 2)
    assert kpis.satisfaction_rate(**period) == kpis.Rate(1, 1)  # 联系不上 is not an answer
    assert kpis.direct_answer_rate(**period) == kpis.Rate(1, 4)
    assert kpis.avg_handling_hours(**period) is not None
    assert kpis.summary(street=org.xingfu, **period)["timely_accept_rate"].percent == 50.0
    assert kpis.timely_accept_rate(unit=org.chenqiao, **period).value is None


def test_kpis_respect_the_period(flow, personas):
    flow.dispatched(when="2020-02-07 10:00")
    assert kpis.timely_accept_rate(start=date(2020, 2, 8), end=date(2020, 2, 9)).denominator == 0
    assert kpis.timely_accept_rate(start=date(2020, 2, 7), end=date(2020, 2, 8)).denominator == 1
    assert kpis.daily_intake(start=date(2020, 2, 7), end=date(2020, 2, 9)) == 0.5
