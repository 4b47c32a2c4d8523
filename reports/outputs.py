"""The 日报 in every format: the same sections feed the screen, Word, Excel, CSV and JSON.

`sections(figures)` lays the report out once (numbered 一、二、三 … with tables); `render(figures, fmt)`
returns bytes. Exports carry no person data: cases show the number, topic, unit and a short summary.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_noop

NUMERALS = "一二三四五六七八九十"
FORMATS = {"json", "csv", "docx", "xlsx"}
RATE_KEYS = [  # gettext_noop: marked for the web pages' translation; the documents use the Chinese as is
    ("accept_rate", gettext_noop("及时签收率")), ("on_time_rate", gettext_noop("按时办结率")),
    ("satisfaction_rate", gettext_noop("回访满意率")), ("direct_answer_rate", gettext_noop("直接答复率")),
    ("return_rate", gettext_noop("退单率")), ("redo_rate", gettext_noop("重办率")),
]
COUNT_KEYS = [
    ("new_orders", "受理量"), ("epidemic_orders", "疫情工单"), ("closed_orders", "办结量"),
    ("overdue_orders", "超期工单"), ("cancelled_orders", "撤销量"), ("merged_orders", "并单量"),
]


def pct(value):
    return "—" if value is None else f"{value * 100:.1f}%"


@dataclass
class Table:
    title: str
    headers: list
    rows: list
    chart: str = ""  # "bar" | "line": Excel draws a native chart of the last column
    sheet: str = ""


@dataclass
class Section:
    title: str
    paragraphs: list = field(default_factory=list)
    tables: list = field(default_factory=list)


def title(figures):
    return "港闸区12345政务服务热线日报"


def date_text(figures):
    d = date.fromisoformat(figures["date"])
    return f"{d.year}年{d.month}月{d.day}日"


def window_text(figures):
    start, end = figures["window"]["start"], figures["window"]["end"]
    return f"{start[5:7]}月{start[8:10]}日{start[11:16]} 至 {end[5:7]}月{end[8:10]}日{end[11:16]}"


def _dim(figures, key, label_key, name, sheet, chart="bar"):
    labels = figures["labels"].get(label_key, {})
    rows = [[labels.get(code, code), code, n] for code, n in figures[key].items()]
    return Table(name, ["名称", "编码", "工单数"], rows, chart if rows else "", sheet)


def sections(figures):
    f = figures
    summary = (
        f"{window_text(f)},热线共受理群众诉求 {f['new_orders']} 件,其中疫情相关 {f['epidemic_orders']} 件;"
        f"办结 {f['closed_orders']} 件,超期 {f['overdue_orders']} 件。按时办结率 {pct(f['on_time_rate'])},"
        f"回访满意率 {pct(f['satisfaction_rate'])},及时签收率 {pct(f['accept_rate'])}。"
    )
    kpis = Table("主要指标", ["指标", "数值", "计算口径"],
                 [[label, f[key], f["definitions"].get(key, "")] for key, label in COUNT_KEYS]
                 + [[label, pct(f[key]), f["definitions"].get(key, "")] for key, label in RATE_KEYS]
                 + [["平均办理时长(小时)", "—" if f["avg_handling_hours"] is None else f["avg_handling_hours"],
                     f["definitions"]["avg_handling_hours"]]], sheet="主要指标")
    trend = Table("近8日受理量", ["日期", "受理量"], [[t["date"], t["count"]] for t in f.get("trend_8d", [])],
                  "line", "趋势")
    intake = Section("二、受理情况", [], [
        _dim(f, "by_type", "type", "按诉求类型", "诉求类型"),
        _dim(f, "by_channel", "channel", "按来源渠道", "来源渠道"),
        _dim(f, "by_topic", "topic", "按诉求分类", "诉求分类"),
        _dim(f, "by_street", "unit", "按街道(属地)", "街道"),
        _dim(f, "by_unit", "unit", "按承办单位", "承办单位"),
    ])
    hot = Section("三、热点问题", [], [
        Table("高频诉求分类", ["分类", "编码", "工单数"], [[h["name"], h["code"], h["count"]] for h in f["hot_topics"]],
              sheet="热点分类"),
        Table("高频地点", ["地点", "编码", "工单数"], [[h["name"], h["code"], h["count"]] for h in f["hot_places"]],
              sheet="热点地点"),
        Table("上升较快的诉求(与前7日日均相比)", ["分类", "编码", "当日", "前7日日均"],
              [[r["name"], r["code"], r["count"], r["average_before"]] for r in f["rising_topics"]], sheet="上升诉求"),
    ])
    if not f["rising_topics"]:
        hot.paragraphs.append("与前7日日均相比,无明显上升的诉求分类。")
    cases = Section("四、重点关注事项", [], [Table(
        "重大及重点工单", ["工单编号", "受理时间", "分类", "承办单位", "状态", "摘要"],
        [[c["number"], c["received_at"], c["topic"], c["unit"], c["state"], c["summary"]] for c in f["notable_cases"]],
        sheet="重点工单")])
    if not f["notable_cases"]:
        cases.paragraphs.append("本时段无重大事项工单。")
    pressed = Section("五、催办督办情况", [], [Table(
        "被催办、督办的单位", ["单位", "催办次数", "督办次数", "涉及工单"],
        [[p["name"], p["urge"], p["supervise"], p["orders"]] for p in f["pressed_units"]], sheet="催办督办")])
    if not f["pressed_units"]:
        pressed.paragraphs.append("本时段无催办、督办。")
    return [Section("一、总体情况", [summary], [kpis, trend]), intake, hot, cases, pressed]


def render(figures, fmt):
    if fmt == "json":
        return upward_json(figures).encode("utf-8")
    if fmt == "csv":
        return upward_csv(figures).encode("utf-8-sig")
    if fmt == "docx":
        return docx_bytes(figures)
    if fmt == "xlsx":
        return xlsx_bytes(figures)
    raise ValueError(f"不支持的格式 {fmt}")


def upward_json(figures):
    """The upward summary for the city/provincial platform: the figures without display-only parts."""
    data = {k: v for k, v in figures.items() if k not in ("labels",)}
    return json.dumps(data, ensure_ascii=False, indent=2)


def upward_csv(figures):
    """One row per figure: section, code, name, value — easy to load into the upper platform's sheets."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "code", "name", "value"])
    writer.writerow(["summary", "date", "日期", figures["date"]])
    writer.writerow(["summary", "cutoff", "截止时间", figures["cutoff"]])
    for key, label in COUNT_KEYS:
        writer.writerow(["summary", key, label, figures[key]])
    for key, label in RATE_KEYS:
        writer.writerow(["summary", key, label, "" if figures[key] is None else figures[key]])
    writer.writerow(["summary", "avg_handling_hours", "平均办理时长(小时)", figures["avg_handling_hours"] or ""])
    for key, label_key in (("by_type", "type"), ("by_channel", "channel"), ("by_topic", "topic"),
                           ("by_street", "unit"), ("by_unit", "unit")):
        labels = figures["labels"].get(label_key, {})
        for code, n in figures[key].items():
            writer.writerow([key, code, labels.get(code, code), n])
    return out.getvalue()


def _east_asian(run, font):
    from docx.oxml.ns import qn

    run.font.name = font
    element = run._element if hasattr(run, "_element") else run.element
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def docx_bytes(figures):
    """Official-document layout: red title, issuing unit and date, numbered sections, tables, definitions."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(14)
    _east_asian(style, "仿宋")  # a style has .font and ._element like a run
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(title(figures))
    run.bold, run.font.size, run.font.color.rgb = True, Pt(22), RGBColor(0xC0, 0x00, 0x00)
    _east_asian(run, "方正小标宋简体")
    meta = doc.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _east_asian(meta.add_run(f"{figures['issuer']}　　　　{date_text(figures)}"), "仿宋")
    _east_asian(doc.add_paragraph().add_run(f"统计时段:{window_text(figures)}(截止 {figures['cutoff']})"), "仿宋")
    for section in sections(figures):
        heading = doc.add_paragraph()
        run = heading.add_run(section.title)
        run.bold = True
        _east_asian(run, "黑体")
        for text in section.paragraphs:
            para = doc.add_paragraph()
            para.paragraph_format.first_line_indent = Pt(28)
            _east_asian(para.add_run(text), "仿宋")
        for number, table in enumerate(section.tables, 1):
            if not table.rows:
                continue
            caption = doc.add_paragraph()
            _east_asian(caption.add_run(f"({NUMERALS[number - 1]}){table.title}"), "楷体")
            grid = doc.add_table(rows=1, cols=len(table.headers))
            grid.style = "Table Grid"
            for cell, text in zip(grid.rows[0].cells, table.headers):
                cell.text = str(text)
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in table.rows:
                cells = grid.add_row().cells
                for cell, value in zip(cells, row):
                    cell.text = str(value)
    sign = doc.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _east_asian(sign.add_run(f"{figures['issuer']}\n{date_text(figures)}"), "仿宋")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(figures):
    """One sheet per table; native bar/line charts next to the counts."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    cover = book.create_sheet("日报")
    cover.append([title(figures)])
    cover["A1"].font = Font(bold=True, size=16)
    cover.append([figures["issuer"], date_text(figures)])
    cover.append(["统计时段", window_text(figures), "截止", figures["cutoff"]])
    for section in sections(figures):
        cover.append([])
        cover.append([section.title])
        for text in section.paragraphs:
            cover.append([text])
    cover.column_dimensions["A"].width = 60
    for section in sections(figures):
        for table in section.tables:
            sheet = book.create_sheet(table.sheet[:31] or table.title[:31])
            sheet.append(table.headers)
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in table.rows:
                sheet.append(row)
            for col, width in zip("ABCDEF", (22, 14, 14, 14, 14, 50)):
                sheet.column_dimensions[col].width = width
            if table.title == "主要指标":
                sheet.column_dimensions["C"].width = 90
                for row in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
                    row[0].alignment = Alignment(wrap_text=True)
            if table.chart and table.rows:
                n, value_col = len(table.rows), len(table.headers)
                chart = LineChart() if table.chart == "line" else BarChart()
                chart.title, chart.height, chart.width = table.title, 7.5, 16
                chart.add_data(Reference(sheet, min_col=value_col, min_row=1, max_row=n + 1), titles_from_data=True)
                chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=n + 1))
                sheet.add_chart(chart, "E2" if value_col <= 3 else "G2")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
