"""The dashboard's server-drawn SVG charts: well-formed, scaled, escaped, accessible, bounded, and
styled by classes only."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entrypoints.web.charts import (
    BOTTOM,
    HEIGHT,
    MAX_POINTS,
    MAX_X_LABELS,
    TOP,
    Series,
    bar_chart,
    line_chart,
    nice_scale,
    number,
)

SVG = "{http://www.w3.org/2000/svg}"
CSS = Path(__file__).resolve().parents[2] / "entrypoints" / "web" / "static" / "css" / "app.css"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def texts(root: ET.Element, cls: str) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text") if cls in (t.get("class") or "").split()]


def test_a_bar_per_value_with_heights_in_proportion() -> None:
    root = parse(bar_chart("cost", "Cost per day", ["1 Mar", "2 Mar", "3 Mar"], [1.0, 2.0, 4.0]))
    bars = root.findall(f"{SVG}rect[@class='chart-bar']")
    assert len(bars) == 3
    heights = [float(b.get("height") or 0) for b in bars]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.2)
    assert heights[2] == pytest.approx(4 * heights[0], abs=0.2)
    assert float(bars[2].get("y") or 0) == pytest.approx(TOP)  # 4 is the scale's top: the tallest bar fills it
    assert [b.findtext(f"{SVG}title") for b in bars] == ["1 Mar: 1", "2 Mar: 2", "3 Mar: 4"]
    assert texts(root, "chart-label-x") == ["1 Mar", "2 Mar", "3 Mar"]
    assert texts(root, "chart-label-y") == ["0", "1", "2", "3", "4"]


def test_the_text_alternative_names_the_chart_and_every_point() -> None:
    root = parse(bar_chart("q", "Questions per day", ["Mon", "Tue"], [3, 0]))
    assert root.get("role") == "img"
    title_id, desc_id = (root.get("aria-labelledby") or "").split()
    assert root.find(f"{SVG}title[@id='{title_id}']").text == "Questions per day"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc[@id='{desc_id}']").text == "Mon: 3; Tue: 0"  # type: ignore[union-attr]
    assert texts(root, "chart-title") == ["Questions per day"]


def test_text_is_escaped_everywhere() -> None:
    evil = '<img src=x onerror=alert(1)>"&'
    markup = str(line_chart("x", evil, [evil], [Series(evil, (1.0,)), Series("b", (2.0,))],
                            fmt=lambda v: f"{v}<b>"))
    assert "<img" not in markup and "<b>" not in markup
    root = parse(markup)  # still well-formed XML
    assert root.findtext(f"{SVG}title") == evil
    assert texts(root, "chart-label-x") == [evil]
    assert texts(root, "chart-legend") == [evil, "b"]
    assert f"{evil}, {evil}: 1.0<b>" in [c.findtext(f"{SVG}title") for c in root.iter(f"{SVG}circle")]


def test_markup_carries_classes_never_styles_or_colours() -> None:
    markup = str(line_chart("t", "Tokens", ["a", "b"], [Series("in", (1, 5)), Series("out", (2, 0))]))
    markup += str(bar_chart("c", "Cost", ["a", "b"], [0.5, 0.25]))
    assert not re.search(r"\s(style|fill|stroke|font-[a-z]+|text-anchor|color)=", markup)
    used = set()
    for chart in re.findall(r"<svg.*?</svg>", markup):
        used |= {cls for element in parse(chart).iter() for cls in (element.get("class") or "").split()}
    css = CSS.read_text(encoding="utf-8")
    missing = {cls for cls in used if not re.search(rf"\.{re.escape(cls)}\b", css)}
    assert not missing, f"classes without a rule in app.css: {missing}"


def test_a_line_per_series_through_every_point() -> None:
    series = [Series("in", (10, 20, 40)), Series("out", (0, 5, 0))]
    root = parse(line_chart("tok", "Tokens", ["d1", "d2", "d3"], series))
    lines = root.findall(f"{SVG}polyline")
    assert [line.get("class") for line in lines] == ["chart-line chart-series-0", "chart-line chart-series-1"]
    points = [[tuple(map(float, p.split(","))) for p in (line.get("points") or "").split()] for line in lines]
    assert [len(p) for p in points] == [3, 3]
    xs = [x for x, _ in points[0]]
    assert xs == sorted(xs) and xs == [x for x, _ in points[1]]
    base = HEIGHT - BOTTOM
    assert points[1][0][1] == pytest.approx(base) and points[0][2][1] == pytest.approx(TOP)
    assert len(root.findall(f"{SVG}circle")) == 6
    assert texts(root, "chart-legend") == ["in", "out"]
    desc = root.findtext(f"{SVG}desc")
    assert desc == "in: d1: 10; d2: 20; d3: 40. out: d1: 0; d2: 5; d3: 0"


def test_one_series_has_no_legend_and_one_point_is_centred() -> None:
    root = parse(line_chart("one", "Latency", ["today"], [Series("ms", (120,))]))
    assert texts(root, "chart-legend") == []
    circle = root.find(f"{SVG}circle")
    assert circle is not None and 300 < float(circle.get("cx") or 0) < 400


def test_the_empty_note_replaces_the_values_when_the_caller_gives_one() -> None:
    root = parse(bar_chart("none", "Cost per day", [], [], empty="No questions yet"))
    assert root.findall(f"{SVG}rect[@class='chart-bar']") == []
    assert texts(root, "chart-empty") == ["No questions yet"]
    assert root.findtext(f"{SVG}desc") == "No questions yet"
    zeros = parse(bar_chart("zeros", "Cost", ["a", "b"], [0, 0], empty="Nothing charged"))
    assert len(zeros.findall(f"{SVG}rect[@class='chart-bar']")) == 2
    assert texts(zeros, "chart-empty") == ["Nothing charged"] and zeros.findtext(f"{SVG}desc") == "Nothing charged"
    rate = parse(line_chart("rate", "Rate", ["a", "b"], [Series("%", (0, None))]))  # 0 % is a value, not nothing
    assert texts(rate, "chart-empty") == [] and rate.findtext(f"{SVG}desc") == "%: a: 0; b: -"


def test_all_zero_values_draw_on_the_baseline() -> None:
    root = parse(bar_chart("z", "Zero", ["a", "b"], [0, 0]))
    assert [float(b.get("height") or 1) for b in root.findall(f"{SVG}rect[@class='chart-bar']")] == [0, 0]
    assert texts(root, "chart-label-y") == ["0", "1"]


def test_x_labels_are_thinned_to_fit_but_every_point_is_drawn() -> None:
    labels = [f"d{i}" for i in range(90)]
    root = parse(bar_chart("long", "Long", labels, [float(i) for i in range(90)]))
    shown = texts(root, "chart-label-x")
    assert 2 <= len(shown) <= MAX_X_LABELS and shown[-1] == "d89"  # the last (today) is always labelled
    alt = [t.text for t in root.iter(f"{SVG}text") if "chart-label-alt" in (t.get("class") or "").split()]
    assert alt == shown[-2::-2][::-1]  # every other one, counted from the last, which a narrow screen keeps
    assert len(root.findall(f"{SVG}rect[@class='chart-bar']")) == 90


@pytest.mark.parametrize(("call", "message"), [
    (lambda: bar_chart("a", "t", ["x"] * (MAX_POINTS + 1), [1.0] * (MAX_POINTS + 1)), "at most"),
    (lambda: bar_chart("a", "t", ["x", "y"], [1.0]), "one value per label"),
    (lambda: bar_chart("a", "t", ["x"], [math.nan]), "finite"),
    (lambda: bar_chart("a", "t", ["x"], [math.inf]), "finite"),
    (lambda: bar_chart("a", "t", ["x"], [-1.0]), "negative"),
    (lambda: bar_chart('a" onload="x', "t", ["x"], [1.0]), "chart id"),
    (lambda: line_chart("a", "t", ["x"], []), "series"),
    (lambda: line_chart("a", "t", ["x"], [Series(str(i), (1.0,)) for i in range(5)]), "series"),
])
def test_bad_input_is_refused(call, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        call()


def test_counts_have_whole_ticks_and_a_rate_a_fixed_top() -> None:
    counts = parse(bar_chart("n", "Documents", ["pdf", "xlsx"], [1, 0], whole=True))
    assert texts(counts, "chart-label-y") == ["0", "1"]
    assert texts(parse(bar_chart("m", "Documents", ["a"], [3], whole=True)), "chart-label-y") == ["0", "1", "2", "3"]
    assert texts(parse(bar_chart("f", "Cost", ["a"], [1])), "chart-label-y") == ["0", "0.2", "0.4", "0.6", "0.8", "1"]
    rate = parse(line_chart("r", "Rate", ["a", "b"], [Series("%", (0, 10))], top=100))
    assert texts(rate, "chart-label-y") == ["0", "20", "40", "60", "80", "100"]


def test_numbers_are_short() -> None:
    assert [number(v) for v in (0, 7, 999, 1234, 25_000, 1_500_000, 0.25, 0.0052)] == [
        "0", "7", "999", "1.23k", "25k", "1.5M", "0.25", "0.0052"]


@given(st.floats(min_value=1e-6, max_value=1e12, allow_nan=False), st.booleans())
def test_the_scale_is_round_and_covers_the_highest_value(highest: float, whole: bool) -> None:
    tick, top = nice_scale(highest, whole=whole)
    assert not whole or (tick >= 1 and tick == int(tick))
    assert top >= highest * (1 - 1e-9)
    assert 1 <= round(top / tick) <= 5
    mantissa = tick / 10 ** math.floor(math.log10(tick) + 1e-9)
    assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 2.5, 5, 10))


def test_a_gap_breaks_the_line_and_is_read_as_missing() -> None:
    root = parse(line_chart("rate", "Cache hit rate", ["a", "b", "c", "d"], [Series("%", (50, None, 25, 75))],
                            missing="no questions"))
    lines = root.findall(f"{SVG}polyline")
    assert [len((line.get("points") or "").split()) for line in lines] == [1, 2]
    assert len(root.findall(f"{SVG}circle")) == 3
    assert root.findtext(f"{SVG}desc") == "%: a: 50; b: no questions; c: 25; d: 75"
    all_gaps = parse(line_chart("none", "Rate", ["a"], [Series("%", (None,))]))
    assert all_gaps.findall(f"{SVG}polyline") == [] and texts(all_gaps, "chart-label-y") == ["0", "1"]


def test_a_bar_chart_has_no_gaps() -> None:
    with pytest.raises(ValueError, match="no gaps"):
        bar_chart("a", "t", ["x"], [None])  # type: ignore[list-item]
