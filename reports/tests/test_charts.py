from reports import charts


def test_bar_chart_is_inline_svg_with_chinese_labels_and_values():
    svg = str(charts.bars([("幸福街道", 12), ("<陈桥>", 3)], "今日受理"))
    assert svg.startswith("<svg") and "幸福街道" in svg and ">12<" in svg
    assert "&lt;陈桥&gt;" in svg  # escaped
    assert "Noto Sans CJK SC" in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_empty_chart_says_so():
    assert "暂无数据" in str(charts.bars([], "x")) and "暂无数据" in str(charts.lines([], [], "x"))


def test_line_chart_draws_a_series_per_topic_with_a_legend():
    svg = str(charts.lines(["2/1", "2/2", "2/3"], [("人员排查", [1, 5, 2]), ("物资价格", [0, 1, 4])], "趋势"))
    assert svg.count("<polyline") == 2 and "人员排查" in svg and "物资价格" in svg
