"""Bar and line charts drawn by the server as inline SVG, so the dashboard needs no chart script.

Why SVG strings from the server: the page stays usable without JavaScript, nothing is fetched from
elsewhere (no chart library from a CDN), and the Content-Security-Policy can forbid inline styles
and scripts, because the markup carries classes only: every colour, font and anchor lives in
``static/css/app.css`` (its charts section) (``chart-bar``, ``chart-series-0`` ...). Every piece of text (title, labels,
series names, formatted values) is escaped, and a chart accepts at most ``MAX_POINTS`` points, so a
long period cannot make a page of unbounded size.

For screen readers the ``<svg>`` is ``role="img"`` labelled by its ``<title>`` and ``<desc>``; the
description lists every point ("1 Mar: 3"), which is the chart's text alternative. Each bar and
point also has its own ``<title>`` (the tooltip a mouse user sees).

Values must be finite and not negative (counts, tokens, money, milliseconds): the y axis starts at 0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

import attrs
from markupsafe import Markup, escape

MAX_POINTS = 400  # a year of days, with room to spare
MAX_SERIES = 4  # chart-series-0 .. chart-series-3 have colours in app.css
MAX_X_LABELS = 8  # more would overlap at 360 px
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 40, 44  # room for the y labels, the title and legend, the x labels
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}\Z")

Format = Callable[[float], str]


def number(value: float) -> str:
    """999 -> '999'; 1234 -> '1.23k'; 25000 -> '25k'; 0.25 -> '0.25': short enough for an axis label."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:.3g}M"
    if value >= 1000:
        return f"{value / 1000:.3g}k"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:.3g}"


@attrs.frozen
class Series:
    """One line of a line chart: its name (for the legend and the text alternative) and values;
    None is a gap (no value that day: a rate of no questions is not 0 %), drawn as a break in the line."""

    name: str
    values: tuple[float | None, ...] = attrs.field(converter=tuple)


def bar_chart(chart_id: str, title: str, labels: Sequence[str], values: Sequence[float], *,
              fmt: Format = number, empty: str = "", whole: bool = False) -> Markup:
    """A bar per label. ``empty``: a note shown over the plot and read instead of the values (the
    caller knows when there is nothing to show: no questions is not the same as a 0 % rate);
    ``whole``: counts, so the axis has no fractional ticks."""
    _check(chart_id, labels, [Series(title, tuple(values))], gaps=False)
    frame = _Frame(labels, max(values, default=0.0), fmt, whole=whole)
    slot = frame.plot_width / max(len(labels), 1)
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x, top = LEFT + i * slot + slot * 0.15, frame.y(value)
        parts.append(f'<rect class="chart-bar" x="{x:.1f}" y="{top:.1f}" width="{slot * 0.7:.1f}" '
                     f'height="{frame.base - top:.1f}"><title>{escape(label)}: {escape(fmt(value))}</title></rect>')
    points = "; ".join(f"{label}: {fmt(value)}" for label, value in zip(labels, values, strict=True))
    return _svg(chart_id, title, empty or points, frame.axes(slot, centred=True), parts, empty)


def line_chart(chart_id: str, title: str, labels: Sequence[str], series: Sequence[Series], *,
               fmt: Format = number, empty: str = "", missing: str = "-", top: float | None = None) -> Markup:
    """One line per series over the same labels, with a legend when there is more than one series;
    ``missing`` stands for a gap in the text alternative; ``empty`` as for bar_chart; ``top``: a
    fixed top of the scale (100 for a percentage) instead of one fitted to the values."""
    _check(chart_id, labels, series, gaps=True)
    highest = max((v for s in series for v in s.values if v is not None), default=0.0)
    frame = _Frame(labels, max(highest, top or 0.0), fmt)
    step = frame.plot_width / (len(labels) - 1) if len(labels) > 1 else 0.0

    def x(i: int) -> float:
        return LEFT + i * step if len(labels) > 1 else LEFT + frame.plot_width / 2

    parts = []
    for n, line in enumerate(series):
        for run in _runs(line.values):
            coordinates = " ".join(f"{x(i):.1f},{frame.y(v):.1f}" for i, v in run)
            parts.append(f'<polyline class="chart-line chart-series-{n}" points="{coordinates}"/>')
        parts.extend(f'<circle class="chart-point chart-series-{n}" cx="{x(i):.1f}" cy="{frame.y(v):.1f}" r="3">'
                     f'<title>{escape(line.name)}, {escape(labels[i])}: {escape(fmt(v))}</title></circle>'
                     for i, v in enumerate(line.values) if v is not None)
    if len(series) > 1:
        parts.extend(_legend(series))

    def said(value: float | None) -> str:
        return missing if value is None else fmt(value)

    points = ". ".join(f"{s.name}: " + "; ".join(f"{label}: {said(v)}" for label, v in zip(labels, s.values,
                                                                                           strict=True))
                       for s in series) if labels else ""
    return _svg(chart_id, title, empty or points, frame.axes(step, centred=False), parts, empty)


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """The stretches of consecutive values between gaps, with their positions."""
    runs: list[list[tuple[int, float]]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((i, value))
    return [run for run in runs if run]


def _check(chart_id: str, labels: Sequence[str], series: Sequence[Series], *, gaps: bool) -> None:
    if not _ID.match(chart_id):
        raise ValueError("A chart id is a letter then up to 63 letters, digits, '-' or '_'.")
    if len(labels) > MAX_POINTS:
        raise ValueError(f"A chart shows at most {MAX_POINTS} points, not {len(labels)}.")
    if not 1 <= len(series) <= MAX_SERIES:
        raise ValueError(f"A chart has 1 to {MAX_SERIES} series.")
    for line in series:
        if len(line.values) != len(labels):
            raise ValueError("Every series needs one value per label.")
        present = [v for v in line.values if v is not None or not gaps]
        if not all(v is not None and math.isfinite(v) and v >= 0 for v in present):
            raise ValueError("Chart values must be finite and not negative (a bar chart has no gaps).")


class _Frame:
    """The plot area and the y scale: 0 to a round maximum, with four or five gridlines."""

    def __init__(self, labels: Sequence[str], highest: float, fmt: Format, *, whole: bool = False) -> None:
        self.labels, self.fmt = labels, fmt
        self.plot_width = WIDTH - LEFT - RIGHT
        self.base = HEIGHT - BOTTOM
        self.tick, self.top = nice_scale(highest, whole=whole)

    def y(self, value: float) -> float:
        return self.base - (self.base - TOP) * value / self.top

    def axes(self, step: float, *, centred: bool) -> list[str]:
        parts = []
        ticks = round(self.top / self.tick)
        for k in range(ticks + 1):
            value = k * self.tick
            y = self.y(value)
            parts.append(f'<line class="chart-grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>')
            parts.append(f'<text class="chart-label chart-label-y" x="{LEFT - 6}" y="{y + 4:.1f}">'
                         f'{escape(self.fmt(value))}</text>')
        parts.append(f'<line class="chart-axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{self.base}"/>')
        parts.append(f'<line class="chart-axis" x1="{LEFT}" y1="{self.base}" x2="{WIDTH - RIGHT}" '
                     f'y2="{self.base}"/>')
        every = max(1, math.ceil(len(self.labels) / MAX_X_LABELS))
        shown = list(range(len(self.labels) - 1, -1, -every))  # counted from the last: today is labelled
        for n, i in enumerate(reversed(shown)):
            # every other label, the last kept, is "alt": a narrow screen hides those (app.css)
            alt = " chart-label-alt" if (len(shown) - 1 - n) % 2 else ""
            if centred:
                x = LEFT + (i + 0.5) * step
            else:
                x = LEFT + i * step if len(self.labels) > 1 else LEFT + self.plot_width / 2
            parts.append(f'<text class="chart-label chart-label-x{alt}" x="{x:.1f}" y="{self.base + 18}">'
                         f'{escape(self.labels[i])}</text>')
        return parts


def nice_scale(highest: float, *, whole: bool = False) -> tuple[float, float]:
    """(tick, top): a round tick (1, 2, 2.5 or 5 times a power of ten; a whole number when
    ``whole``) and the smallest multiple of it at or above ``highest``, in at most five ticks;
    (1, 1) for an all-zero chart."""
    if highest <= 0:
        return 1.0, 1.0
    if whole and highest <= 5:
        return 1.0, float(math.ceil(highest - 1e-9))
    magnitude = 10 ** math.floor(math.log10(highest / 5))
    for factor in (1, 2, 2.5, 5, 10):
        tick = factor * magnitude
        if whole and (tick < 1 or tick != int(tick)):
            continue
        if highest / tick <= 5:
            return tick, math.ceil(highest / tick - 1e-9) * tick
    raise AssertionError("unreachable: factor 10 always fits")  # pragma: no cover


def _legend(series: Sequence[Series]) -> list[str]:
    parts, x = [], LEFT
    for n, line in enumerate(series):
        parts.append(f'<rect class="chart-swatch chart-series-{n}" x="{x}" y="{TOP - 16}" width="10" height="10"/>')
        parts.append(f'<text class="chart-label chart-legend" x="{x + 14}" y="{TOP - 7}">{escape(line.name)}</text>')
        x += 14 + 11 * min(len(line.name), 24) + 20  # room for the name at the narrow screen's larger text
    return parts


def _svg(chart_id: str, title: str, description: str, axes: list[str], marks: list[str], empty: str) -> Markup:
    centre_x, centre_y = LEFT + (WIDTH - LEFT - RIGHT) / 2, (TOP + HEIGHT - BOTTOM) / 2
    note = (f'<text class="chart-empty" x="{centre_x:.1f}" y="{centre_y:.1f}">{escape(empty)}</text>'
            if empty else "")
    return Markup(
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f'<text class="chart-title" x="{LEFT}" y="16" aria-hidden="true">{escape(title)}</text>'
        + "".join(axes) + "".join(marks) + note + "</svg>")
