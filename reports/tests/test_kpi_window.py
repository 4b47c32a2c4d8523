"""The KPI table's one-pass figures (reports.kpi_window) equal metrics.summary() group by group."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from reports import kpi, metrics, selectors
from reports.kpi_window import Window

pytestmark = pytest.mark.django_db


def reference(dimension, period, anchor, scope=metrics.WHOLE, within=None):
    """The per-group definition: metrics.summary on the period restricted to each group."""
    first, after = kpi.period_range(period, anchor)
    start = timezone.make_aware(datetime.combine(first, time(0)))
    end = timezone.make_aware(datetime.combine(after, time(0)))
    return {code: metrics.summary(start, end, metrics.Scope(q, {**scope.filters, **filters}, scope.paths))
            for code, _name, q, filters in kpi.groups(dimension, within)}


@pytest.mark.parametrize("dimension", ["unit", "street", "category"])
@pytest.mark.parametrize("period", ["day", "week", "month"])
def test_one_pass_figures_equal_the_per_group_summary(day, personas, dimension, period):
    anchor = date(2020, 2, 7)
    for user in (personas.supervisor, personas.outsider, personas.xf_liaison):
        scope, unit = selectors.viewer_scope(user)
        expected = reference(dimension, period, anchor, scope, unit)
        first, after = kpi.period_range(period, anchor)
        window = Window(timezone.make_aware(datetime.combine(first, time(0))),
                        timezone.make_aware(datetime.combine(after, time(0))), scope)
        got = {code: window.summary(filters) for code, _n, _q, filters in kpi.groups(dimension, unit)}
        for code, figures in expected.items():
            assert {k: got[code][k] for k in figures} == figures, (user.username, code)


def test_the_kpi_table_reads_the_period_once(day, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        rows = kpi.table("unit", "quarter", date(2020, 2, 7))["rows"]
    assert rows and any(r["new_orders"] for r in rows)
