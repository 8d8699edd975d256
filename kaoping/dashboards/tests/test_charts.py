"""The SVG charts: well-formed, accessible (title and aria-label), values in the right place."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from kaoping.dashboards import charts

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own markup, not untrusted input
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    title = root.find("s:title", NS)
    assert title is not None and title.text
    assert root.get("aria-label") == title.text
    assert root.get("aria-labelledby") == title.get("id")
    assert "style" not in svg  # the CSP forbids inline style
    return root


def test_bar_chart_bars_are_proportional_and_labelled():
    svg = charts.bar_chart(
        title="支部排名",
        labels=["张三", "李四<&>"],
        values=[Decimal("80"), Decimal("40")],
        maximum=100,
    )
    root = parse(svg)
    bars = [r for r in root.findall("s:rect", NS) if r.find("s:title", NS) is not None]
    span = Decimal(root.find("s:rect", NS).get("width"))  # the first track: the full bar
    widths = [Decimal(b.get("width")) for b in bars]
    for width, share in zip(widths, ("0.8", "0.4"), strict=True):
        assert abs(width - span * Decimal(share)) <= Decimal("0.1")
    assert "李四&lt;&amp;&gt;" in svg  # escaped
    assert root.get("aria-label") == "支部排名：张三 80.0；李四<&> 40.0"
    texts = [t.text for t in root.findall("s:text", NS)]
    assert "80.0" in texts and "40.0" in texts


def test_bar_chart_none_is_a_dash_and_axis_is_nice():
    root = parse(charts.bar_chart(title="t", labels=["a", "b"], values=[Decimal("7.3"), None]))
    bars = [r for r in root.findall("s:rect", NS) if r.find("s:title", NS) is not None]
    span = Decimal(root.find("s:rect", NS).get("width"))
    # the axis goes to 10 (the nice ceiling of 7.3); a missing value draws nothing
    widths = [Decimal(b.get("width")) for b in bars]
    assert abs(widths[0] - span * Decimal("0.73")) <= Decimal("0.1") and widths[1] == 0
    assert "—" in [t.text for t in root.findall("s:text", NS)]


def test_bar_chart_refuses_float():
    with pytest.raises(TypeError):
        charts.bar_chart(title="t", labels=["a"], values=[0.1])


def test_stacked_bar_chart_parts_sum_to_total():
    svg = charts.stacked_bar_chart(
        title="扣分",
        labels=["1月", "2月"],
        series=[("D01", [Decimal(2), Decimal(0)]), ("D03", [Decimal(3), Decimal(1)])],
    )
    root = parse(svg)
    parts = [r for r in root.findall("s:rect", NS) if r.find("s:title", NS) is not None]
    assert [p.find("s:title", NS).text for p in parts] == [
        "1月 D01：2.0",
        "1月 D03：3.0",
        "2月 D03：1.0",
    ]
    widths = [Decimal(p.get("width")) for p in parts]
    span = Decimal(charts.WIDTH) - Decimal(parts[0].get("x")) - charts.VALUE_W
    assert abs(widths[0] + widths[1] - span) <= Decimal("0.1")  # axis ceiling 5: a full bar
    texts = [t.text for t in root.findall("s:text", NS)]
    assert "5.0" in texts and "1.0" in texts and "D01" in texts and "D03" in texts
    assert root.get("aria-label") == "扣分：1月 D01 2.0、D03 3.0；2月 D03 1.0"


def test_line_chart_points_and_gaps():
    root = parse(
        charts.line_chart(
            title="出席率",
            labels=["1", "2", "3"],
            series=[("出席率", [Decimal(100), None, Decimal(50)])],
            maximum=100,
            unit="%",
        )
    )
    circles = root.findall("s:circle", NS)
    assert [c.find("s:title", NS).text for c in circles] == ["出席率 1：100.0%", "出席率 3：50.0%"]
    assert [float(c.get("cy")) for c in circles] == [10.0, 100.0]  # top, middle of 180 px
    # the last month's label fits inside the drawing on the right
    last = root.findall("s:text", NS)[-2]  # before the legend's one name
    assert Decimal(last.get("x")) + charts.text_width(last.text) / 2 <= charts.WIDTH
    assert root.findall("s:polyline", NS) == []  # a gap splits the line into single points


def test_gauge_share_and_empty():
    root = parse(charts.gauge(title="日常得分", value=Decimal("60"), maximum=Decimal("80")))
    arcs = root.findall("s:path", NS)
    assert arcs[1].get("stroke-dasharray") == "75 100"
    assert root.get("aria-label") == "日常得分：60.0 / 80.0"
    empty = parse(charts.gauge(title="民主测评", value=None, maximum=100))
    assert empty.findall("s:path", NS)[1].get("stroke-dasharray") == "0 100"
    assert "—" in [t.text for t in empty.findall("s:text", NS)]


def test_nice_ceiling():
    assert charts.nice_ceiling(Decimal("7.3")) == 10
    assert charts.nice_ceiling(Decimal("12")) == 20
    assert charts.nice_ceiling(Decimal("0")) == 1
    assert charts.nice_ceiling(Decimal("0.3")) == Decimal("0.5")


def test_ids_are_unique():
    a = charts.gauge(title="a", value=1, maximum=2)
    b = charts.gauge(title="a", value=1, maximum=2)
    assert parse(a).find("s:title", NS).get("id") != parse(b).find("s:title", NS).get("id")


def test_long_labels_are_cut_and_keep_their_full_text():
    name = "区财政局机关第三党支部（预算科、国库科、政府采购管理办公室联合）"
    root = parse(charts.bar_chart(title="t", labels=[name, "短"], values=[1, 2]))
    first = root.findall("s:text", NS)[0]
    assert first.find("s:title", NS).text == name  # the whole name on hover
    shown = "".join(first.itertext())[len(name) :]
    assert shown.endswith("…") and charts.text_width(shown) <= charts.LABEL_MAX
    bar_x = Decimal(root.find("s:rect", NS).get("x"))
    assert bar_x <= charts.LABEL_MAX + 10  # the label column never takes the bars' room


def test_axis_floor_shows_differences_near_the_top():
    assert charts.axis_floor([Decimal("92.1"), Decimal("93.5"), None, Decimal(95)]) == 85
    assert charts.axis_floor([Decimal(92)] * 12) == 85  # identical bars: still from 85
    assert charts.axis_floor([Decimal(40), Decimal(95)]) == 0  # spread values: from 0
    assert charts.axis_floor([None]) == 0
    root = parse(
        charts.bar_chart(
            title="t",
            labels=["a", "b"],
            values=[Decimal(90), Decimal(95)],
            maximum=100,
            minimum=85,
            note="自 85% 起",
            unit="%",
        )
    )
    bars = [r for r in root.findall("s:rect", NS) if r.find("s:title", NS) is not None]
    span = Decimal(root.find("s:rect", NS).get("width"))
    assert abs(Decimal(bars[0].get("width")) - span / 3) <= Decimal("0.1")
    assert "自 85% 起" in [t.text for t in root.findall("s:text", NS)]
