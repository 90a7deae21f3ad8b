"""Cell values as a spreadsheet shows them (adapters.extractors.views.cell_format): the common
number formats of ECMA-376, and the plain text of everything else."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from adapters.extractors.views.cell_format import shown

ACCOUNTING = '_($* #,##0.00_);_($* (#,##0.00);_($* "-"??_);_(@_)'


@pytest.mark.parametrize(("value", "number_format", "expected"), [
    (81797, "#,##0", "81,797"),
    (81797.4, "#,##0.00", "81,797.40"),
    (-1234.5, "#,##0.00;(#,##0.00)", "(1,234.50)"),
    (-5, "[Red]0;[Blue]-0", "-5"),
    (-5, "0", "-5"),
    (0, '0;-0;"-"', "-"),
    (0.125, "0.0%", "12.5%"),
    (1_234_567, '#,##0,,"M"', "1M"),
    (12, '"No. "0', "No. 12"),
    (12, '"100%" 0', "100% 12"),  # digits and % inside quotes are text, not codes
    (3.5, "[$€-407]#,##0.00", "€3.50"),
    (12345.678, "0.00E+00", "1.23E+04"),
    (0.001234, "0.0E+0", "1.2E-3"),
    (0.5, "#.00", ".50"),
    (1234.5, ACCOUNTING, "$1,234.50"),
    (-1234.5, ACCOUNTING, "$(1,234.50)"),
    (0, ACCOUNTING, "$-"),
    (7, "General", "7"),
    (1 / 3, "General", "0.3333333333"),
    (42, "@", "42"),
    (42.0, None, "42"),
])
def test_numbers_follow_their_format(value: float, number_format: str | None, expected: str) -> None:
    assert shown(value, number_format) == expected


def test_other_values_are_shown_as_text() -> None:
    assert shown(None, "0.00") == ""
    assert shown(True, "General") == "TRUE"
    assert shown(datetime(2024, 3, 31), "yyyy-mm-dd") == "2024-03-31"
    assert shown(datetime(2024, 3, 31, 9, 30), "m/d/yy h:mm") == "2024-03-31 09:30:00"
    assert shown(date(2024, 3, 31), "d mmm yyyy") == "2024-03-31"
    assert shown("  Total   revenue ", "@") == "Total revenue"
    assert shown(float("nan"), "0.00") == "nan"
