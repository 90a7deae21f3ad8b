"""The dashboard's colours meet WCAG AA: read from the stylesheet's custom properties, so a changed
colour that falls below the ratio fails here (text 4.5:1; focus ring and control borders 3:1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "entrypoints" / "web" / "static" / "css" / "app.css"
WHITE, NOTICE_BG, DRAG_BG = "#ffffff", "#eef6f0", "#e8eef7"


def colours() -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", CSS.read_text(), re.S)
    assert root
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", root.group(1)))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_ratio_is_computed_as_wcag_defines_it() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(("foreground", "backgrounds", "minimum"), [
    ("text", ("bg", "panel", WHITE, NOTICE_BG, DRAG_BG), 4.5),
    ("muted", ("bg", "panel"), 4.5),
    ("primary", ("bg", "panel", DRAG_BG), 4.5),  # links
    ("danger", ("bg", "panel"), 4.5),
    ("ok", ("panel",), 4.5),
    ("warn", ("panel",), 4.5),
    ("primary-text", ("primary",), 4.5),  # the header and primary buttons
    ("focus", ("bg", "panel"), 3.0),
    ("line", ("panel",), 3.0),  # control borders
])
def test_colours_meet_wcag_aa(foreground: str, backgrounds: tuple[str, ...], minimum: float) -> None:
    palette = colours()
    for background in backgrounds:
        back = palette.get(background, background)
        assert contrast(palette[foreground], back) >= minimum, (foreground, background)
