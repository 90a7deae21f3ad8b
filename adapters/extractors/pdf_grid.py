"""A table finder on ruling boxes: pdfplumber's "lines" strategy, re-done with indexes.

pdfplumber (``TableFinder`` with its defaults) turns every rectangle into four edges, snaps
edges lying within ``TOL`` points of each other onto one position, joins collinear pieces,
keeps edges of at least ``TOL`` points, takes the points where vertical and horizontal edges
cross, and makes a cell of each intersection and the nearest intersections below and to the
right that are joined to it by edges; cells sharing a corner form a table. This module follows
the same steps and tie-breaks, but looks neighbours up in sorted indexes instead of scanning every
pair (pdfplumber's cell search is quadratic in the intersections), so a page costs about a
millisecond. Coordinates are top-down, as in pdfplumber: boxes are ``(x0, top, x1, bottom)``."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from operator import itemgetter

Box = tuple[float, float, float, float]
Edge = tuple[float, float, float]  # (position, start, end): y, x0, x1 or x, top, bottom

TOL = 3.0  # snap, join and intersection tolerance and minimum edge length (pdfplumber's defaults)
_PREFILTER = 1.0  # edges shorter than this are dropped before snapping (edge_min_length_prefilter)


def find_tables(boxes: Iterable[Box]) -> list[list[list[Box | None]]]:
    """Tables as rows of cells (None where a cell spans the column), top to bottom."""
    boxes = list(boxes)
    wide = [b for b in boxes if b[2] - b[0] >= _PREFILTER]
    tall = [b for b in boxes if b[3] - b[1] >= _PREFILTER]
    horizontal = _merge([(t, x0, x1) for x0, t, x1, _ in wide] + [(b, x0, x1) for x0, _, x1, b in wide])
    vertical = _merge([(x0, t, b) for x0, t, _, b in tall] + [(x1, t, b) for _, t, x1, b in tall])
    if not horizontal or not vertical:
        return []
    return [_rows(cells) for cells in _tables(_cells(_intersections(horizontal, vertical)))]


def _merge(edges: list[Edge]) -> list[Edge]:
    """Snap positions within TOL to their cluster's mean, join collinear pieces, drop short edges.

    Duplicate edges (cells sharing a border) count once per copy in the mean, as in pdfplumber."""
    snap: dict[float, float] = {}
    cluster: list[float] = []
    total = count = 0.0
    for position, copies in sorted(Counter(map(itemgetter(0), edges)).items()):
        if cluster and position > cluster[-1] + TOL:
            snap.update(dict.fromkeys(cluster, total / count))
            cluster, total, count = [], 0.0, 0
        cluster.append(position)
        total += position * copies
        count += copies
    if cluster:
        snap.update(dict.fromkeys(cluster, total / count))
    pieces = sorted({(snap[p], s, e) for p, s, e in set(edges)})
    if not pieces:
        return []
    joined: list[Edge] = []
    line, first, last = pieces[0]  # the line being joined, kept in locals
    for position, start, end in pieces:
        if position == line and start <= last + TOL:
            if end > last:
                last = end
        else:
            if last - first >= TOL:
                joined.append((line, first, last))
            line, first, last = position, start, end
    if last - first >= TOL:
        joined.append((line, first, last))
    return joined


class _Points:
    """Intersections and, for each, the edges through it (as edge indexes)."""

    def __init__(self) -> None:
        self.h: dict[tuple[float, float], set[int]] = defaultdict(set)
        self.v: dict[tuple[float, float], set[int]] = defaultdict(set)


def _intersections(horizontal: list[Edge], vertical: list[Edge]) -> _Points:
    """Each vertical edge meets the horizontal edges within TOL of its span whose extent (plus TOL)
    holds its x: per horizontal line (one position), its joined pieces are disjoint and sorted, so
    the pieces near x are found by bisection."""
    lines: dict[float, list[tuple[float, float, int]]] = defaultdict(list)
    for index, (y, x0, x1) in enumerate(horizontal):  # sorted by position, then start
        lines[y].append((x0, x1, index))
    ys = list(lines)
    starts = {y: [piece[0] for piece in pieces] for y, pieces in lines.items()}
    points = _Points()
    through_v, through_h = points.v, points.h
    for vi, (x, top, bottom) in enumerate(vertical):
        reach = x + TOL
        for y in ys[bisect_left(ys, top - TOL):bisect_right(ys, bottom + TOL)]:
            pieces = lines[y]
            k = bisect_right(starts[y], reach) - 1
            while k >= 0 and pieces[k][1] + TOL >= x:
                point = (x, y)
                through_v[point].add(vi)
                through_h[point].add(pieces[k][2])
                k -= 1
    return points


def _cells(points: _Points) -> list[Box]:
    """For each intersection, the smallest cell it is the top-left corner of: pdfplumber tries the
    points below it (nearest first) and, for each, the points to its right, and takes the first
    pair linked to it by edges whose opposite corner is linked to both. Points an edge links to a
    corner come first in either direction, so the first unlinked one ends that search."""
    v, h = points.v, points.h
    column: dict[float, list[float]] = defaultdict(list)
    row: dict[float, list[float]] = defaultdict(list)
    for x, y in sorted(v):
        column[x].append(y)
        row[y].append(x)
    cells = []
    for x, ys in column.items():
        below = [(y2, v[(x, y2)], h[(x, y2)]) for y2 in ys]  # each point of the column, looked up once
        for i, (y, down, across) in enumerate(below):
            xs = row[y]
            right = xs[bisect_right(xs, x):]
            cell = None
            for y2, down2, bottom in below[i + 1:]:
                if down.isdisjoint(down2):
                    break
                for x2 in right:
                    if across.isdisjoint(h[(x2, y)]):
                        break
                    corner = v.get((x2, y2))
                    if corner is not None and not corner.isdisjoint(v[(x2, y)]) and not h[(x2, y2)].isdisjoint(bottom):
                        cell = (x, y, x2, y2)
                        break
                if cell is not None:
                    cells.append(cell)
                    break
    return cells


def _tables(cells: list[Box]) -> list[list[Box]]:
    """Cells grouped by shared corners; groups of one cell are not tables; top-most first."""
    at_corner: dict[tuple[float, float], list[int]] = defaultdict(list)
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            at_corner[corner].append(i)
    seen = [False] * len(cells)
    tables = []
    for first in range(len(cells)):
        if seen[first]:
            continue
        seen[first], group, todo = True, [], [first]
        while todo:
            i = todo.pop()
            group.append(cells[i])
            x0, top, x1, bottom = cells[i]
            for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
                for j in at_corner[corner]:
                    if not seen[j]:
                        seen[j] = True
                        todo.append(j)
        if len(group) > 1:
            tables.append(group)
    return sorted(tables, key=lambda t: min((c[1], c[0]) for c in t))


def _rows(cells: list[Box]) -> list[list[Box | None]]:
    """Rows by cell top; one column per distinct cell left edge (None where no cell starts)."""
    lefts = sorted({c[0] for c in cells})
    by_top: dict[float, dict[float, Box]] = defaultdict(dict)
    for cell in sorted(cells, key=lambda c: (c[1], c[0])):
        by_top[cell[1]].setdefault(cell[0], cell)
    return [[row.get(x) for x in lefts] for _, row in sorted(by_top.items())]
