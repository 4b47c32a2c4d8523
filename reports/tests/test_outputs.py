import csv
import io
import json

import pytest
from django.core.management import call_command

from reports.models import DailyReport

pytestmark = pytest.mark.django_db


def run(tmp_path, fmt, cutoff="00:00"):
    out = tmp_path / f"report.{fmt}"
    call_command("daily_report", "--date", "2020-02-07", "--cutoff", cutoff, "--format", fmt, "--out", str(out))
    return out


def test_json_upward_summary_has_the_required_keys(day, tmp_path, org):
    data = json.loads(run(tmp_path, "json").read_text(encoding="utf-8"))
    for key in ("date", "cutoff", "new_orders", "epidemic_orders", "closed_orders", "overdue_orders",
                "on_time_rate", "satisfaction_rate", "by_topic", "by_unit"):
        assert key in data
    assert (data["date"], data["cutoff"], data["new_orders"], data["on_time_rate"]) == ("2020-02-07", "00:00", 8, 0.5)
    assert data["by_unit"][org.xingfu.code] == 1
    assert DailyReport.objects.filter(date="2020-02-07").count() == 1


def test_csv_summary_rows(day, tmp_path):
    rows = list(csv.reader(io.StringIO(run(tmp_path, "csv").read_text(encoding="utf-8-sig"))))
    values = {(r[0], r[1]): r[3] for r in rows[1:]}
    assert values[("summary", "new_orders")] == "8"
    assert values[("summary", "satisfaction_rate")] == "1.0"
    assert values[("by_topic", "EP-PERSON")] == "2"


def test_docx_is_an_official_document_with_the_figures(day, tmp_path):
    from docx import Document

    doc = Document(str(run(tmp_path, "docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert text.startswith("港闸区12345政务服务热线日报")
    assert "港闸区12345政务服务热线" in text and "2020年2月7日" in text
    for heading in ("一、总体情况", "二、受理情况", "三、热点问题", "四、重点关注事项", "五、催办督办情况"):
        assert heading in text
    assert "共受理群众诉求 8 件,其中疫情相关 3 件" in text and "办结 3 件,超期 1 件" in text
    cells = {tuple(c.text for c in row.cells) for table in doc.tables for row in table.rows}
    assert ("按时办结率", "50.0%") == next(c[:2] for c in cells if c[0] == "按时办结率")
    assert next(c[:2] for c in cells if c[0] == "回访满意率") == ("回访满意率", "100.0%")
    assert ("其他", "OTHER", "5") in cells and (day.d.number,) == next(c[:1] for c in cells if c[0] == day.d.number)


def test_xlsx_has_a_sheet_per_table_with_native_charts(day, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(run(tmp_path, "xlsx"))
    assert {"日报", "主要指标", "诉求类型", "诉求分类", "街道", "承办单位", "趋势", "重点工单"} <= set(book.sheetnames)
    kpis = {row[0]: row[1] for row in book["主要指标"].iter_rows(min_row=2, values_only=True)}
    assert kpis["受理量"] == 8 and kpis["疫情工单"] == 3 and kpis["办结量"] == 3 and kpis["超期工单"] == 1
    assert kpis["按时办结率"] == "50.0%" and kpis["回访满意率"] == "100.0%"
    topics = {row[1]: row[2] for row in book["诉求分类"].iter_rows(min_row=2, values_only=True)}
    assert topics == {"OTHER": 5, "EP-PERSON": 2, "EP-LIVING": 1}
    assert book["诉求分类"]._charts and book["趋势"]._charts  # noqa: SLF001 (openpyxl keeps charts here)
    assert [r[1] for r in book["趋势"].iter_rows(min_row=2, values_only=True)] == [0, 0, 0, 0, 0, 1, 1, 8]


def test_bad_cutoff_is_a_clear_error(db, categories, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="截止时间"):
        run(tmp_path, "json", cutoff="noon")
