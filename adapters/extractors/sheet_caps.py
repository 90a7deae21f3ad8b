"""Row and cell caps of one spreadsheet (an XLSX sheet, a CSV file): checked against the size the
file declares before reading (an XLSX sheet's <dimension>), then counted while rows stream, so a
sheet of a million rows fails at the cap in seconds instead of being read to its end."""

from __future__ import annotations

import attrs

from domain.errors import FileTooComplex


@attrs.frozen(kw_only=True)
class SheetCaps:
    max_rows: int = 200_000
    max_cells: int = 2_000_000

    def check_declared(self, where: str, rows: int | None, columns: int | None) -> None:
        """FileTooComplex when the declared size (None: not declared) is over a cap."""
        if rows is not None and rows > self.max_rows:
            raise self._rows(where, rows, "declares")
        if rows is not None and columns is not None and rows * columns > self.max_cells:
            raise self._cells(where, rows * columns, "declares")

    def counter(self, where: str) -> SheetCounter:
        return SheetCounter(self, where)

    def _rows(self, where: str, rows: int, verb: str) -> FileTooComplex:
        return FileTooComplex(f"{where} {verb} {rows:,} rows; at most {self.max_rows:,} rows are read.",
                              rows=rows, limit=self.max_rows)

    def _cells(self, where: str, cells: int, verb: str) -> FileTooComplex:
        return FileTooComplex(f"{where} {verb} {cells:,} cells; at most {self.max_cells:,} cells are read.",
                              cells=cells, limit=self.max_cells)


class SheetCounter:
    """Counts the rows and cells read so far; raises FileTooComplex as soon as one passes its cap."""

    def __init__(self, caps: SheetCaps, where: str) -> None:
        self.caps, self.where = caps, where
        self.rows = self.cells = 0

    def row(self, cells: int) -> None:
        self.check(self.rows + 1, self.cells + cells)

    def check(self, rows: int, cells: int) -> None:
        """Record ``rows`` and ``cells`` read so far."""
        self.rows, self.cells = rows, cells
        if self.rows > self.caps.max_rows:
            raise self.caps._rows(self.where, self.caps.max_rows, "has more than")  # noqa: SLF001
        if self.cells > self.caps.max_cells:
            raise self.caps._cells(self.where, self.caps.max_cells, "has more than")  # noqa: SLF001
