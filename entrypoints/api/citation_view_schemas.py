"""Response bodies of the citation viewer's routes (entrypoints.api.citation_views): one view per
kind of original, told apart by ``type``."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

import attrs
from pydantic import BaseModel, Field

from entrypoints.api.schemas import EXAMPLE_DOCUMENT_ID, example

from domain.citation_views import CitationView, LinesView, MediaView, PagesView, SectionView, SheetView
from domain.locators import locator_words, merge_label


class BoxOut(BaseModel):
    """Left, top, right, bottom as parts (0..1) of the displayed page's width and height."""

    x0: float
    y0: float
    x1: float
    y1: float


class PageOut(BaseModel):
    page: int
    width: float = Field(..., description="Points (a PDF) or pixels (an image), as displayed.")
    height: float
    boxes: list[BoxOut] = Field(..., description="One box per line of the quoted words.")
    found: bool = Field(..., description="Whether the quote was found in the page's text.")
    image_url: str = Field(..., description="The page as a PNG; add `?width=` (64..2400 pixels).")


class PagesOut(BaseModel):
    type: Literal["pages"] = "pages"
    page_count: int
    pages: list[PageOut]
    note: str | None = None


class SheetCellOut(BaseModel):
    column: str
    value: str
    cited: bool


class SheetRowOut(BaseModel):
    number: int
    header: bool
    cells: list[SheetCellOut]


class SheetOut(BaseModel):
    type: Literal["sheet"] = "sheet"
    sheet: str
    cells: str = Field(..., examples=["A12:F31"])
    columns: list[str]
    rows: list[SheetRowOut] = Field(..., description="The header row first (`header` true), then the range.")
    truncated: bool


class SectionBlockOut(BaseModel):
    number: int
    kind: Literal["heading", "paragraph", "table"]
    text: str
    level: int | None = None
    rows: list[list[str]] = Field(default_factory=list, description="A table's cells.")
    cited: bool
    marks: list[tuple[int, int]] = Field(..., description="[start, end) offsets of the quote in `text` (a "
                                         "table's text: cells joined by tabs, rows by line ends).")


class SectionOut(BaseModel):
    type: Literal["section"] = "section"
    section: str | None
    blocks: list[SectionBlockOut]
    truncated: bool


class LineOut(BaseModel):
    number: int
    text: str
    cited: bool


class LinesOut(BaseModel):
    type: Literal["lines"] = "lines"
    lines: list[LineOut]


class MediaOut(BaseModel):
    type: Literal["media"] = "media"
    start_seconds: float
    end_seconds: float | None
    media_type: str
    media_url: str = Field(..., description="The original recording (Range requests supported).")


ViewOut = Annotated[PagesOut | SheetOut | SectionOut | LinesOut | MediaOut, Field(discriminator="type")]


EXAMPLE_VIEW: dict[str, Any] = {
    "document_id": EXAMPLE_DOCUMENT_ID, "chunk_ordinal": 83, "kind": "pdf",
    "quote": "Gaming revenue for the third quarter of fiscal year 2024 was $2.86 billion",
    "label": "page 28", "locators": [{"page": 28}],
    "view": {"type": "pages", "page_count": 52, "note": None, "pages": [{
        "page": 28, "width": 612.0, "height": 792.0, "found": True,
        "boxes": [{"x0": 0.02978, "y0": 0.72438, "x1": 0.51378, "y1": 0.73706}],
        "image_url": f"/api/v1/documents/{EXAMPLE_DOCUMENT_ID}/pages/28/image"}]},
}


class CitationViewOut(BaseModel):
    model_config = example(EXAMPLE_VIEW)

    document_id: uuid.UUID
    chunk_ordinal: int
    kind: str
    quote: str
    label: str = Field(..., examples=["page 28"])
    locators: list[dict[str, Any]] = Field(..., description="Of the chunk's parts holding the quote, as stored.")
    view: ViewOut

    @classmethod
    def of(cls, view: CitationView, language: str = "en") -> CitationViewOut:
        base = f"/api/v1/documents/{view.document_id}"
        return cls(document_id=view.document_id, chunk_ordinal=view.chunk_ordinal, kind=view.kind, quote=view.quote,
                   label=merge_label(view.locators, locator_words(language)), locators=[loc.to_dict() for loc in view.locators],
                   view=_body(view.body, base))


def _body(body: Any, base: str) -> Any:
    data = attrs.asdict(body, recurse=True)
    if isinstance(body, PagesView):
        for page in data["pages"]:
            page["image_url"] = f"{base}/pages/{page['page']}/image"
        return PagesOut(**data)
    if isinstance(body, SheetView):
        return SheetOut(**data)
    if isinstance(body, SectionView):
        return SectionOut(**data)
    if isinstance(body, LinesView):
        return LinesOut(**data)
    if isinstance(body, MediaView):
        return MediaOut(**data, media_url=f"{base}/file")
    raise TypeError(f"no response body for {type(body).__name__}")
