"""What the export routes (entrypoints/api/conversation_threads.py) share: the format parameter,
the documented file responses and the download itself (an attachment with its file name)."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Query, Response
from pydantic import BeforeValidator

from entrypoints.api.schemas import EXAMPLE_TIME, PROBLEM_RESPONSES

if TYPE_CHECKING:
    from application.use_cases.export_threads import ExportFile

ExportFormat = Annotated[Literal["md", "docx", "pdf", "json"], Query(
    description="md (Markdown with footnotes), docx (Word), pdf, or json. Another value is a 422 listing them.")]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """A full date, 2026-03-02, as the schema's `format: date` says (pydantic alone takes `0` for 1970-01-01)."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


Since = Annotated[date | None, BeforeValidator(_iso_date),
                  Query(description="First day (UTC) of the questions exported; default: the first.")]
Until = Annotated[date | None, BeforeValidator(_iso_date),
                  Query(description="Last day (UTC) of the questions exported, included; default: today.")]

BINARY = {"schema": {"type": "string", "format": "binary"}}
EXAMPLE_EXPORT = {"title": "When are invoices due?", "generated_at": EXAMPLE_TIME, "period": None, "threads": [{
    "id": "5b2f0c9e-3d4a-4f1b-9c8e-7a6d5e4f3a2b", "title": "When are invoices due?", "scope": "document",
    "documents": ["terms.pdf"], "created_at": EXAMPLE_TIME, "updated_at": EXAMPLE_TIME,
    "turns": [{"question": "When are invoices due?", "answer": "Within 30 days of delivery [1].",
               "asked_at": EXAMPLE_TIME, "model": "offline",
               "citations": [{"number": 1, "label": "p. 2", "document": "terms.pdf",
                              "quote": "Invoices are payable within 30 days of delivery."}]}]}]}
_TEXT = {"type": "string"}
EXPORT_JSON_SCHEMA = {
    "type": "object", "required": ["title", "generated_at", "threads"],
    "properties": {"title": _TEXT, "generated_at": _TEXT, "period": {"type": ["string", "null"]},
                   "threads": {"type": "array", "items": {
                       "type": "object", "required": ["id", "title", "scope", "turns"],
                       "properties": {"id": _TEXT, "title": _TEXT, "scope": _TEXT,
                                      "documents": {"type": "array", "items": _TEXT},
                                      "created_at": _TEXT, "updated_at": _TEXT,
                                      "turns": {"type": "array", "items": {"type": "object"}}}}}}}
FILE_RESPONSE = {
    200: {"description": "The file, as an attachment named after the thread (Content-Disposition). An empty "
                         "thread or period is a valid file saying there are no questions yet.",
          "headers": {"Content-Disposition": {"description": "attachment; filename=...", "required": True,
                                              "schema": {"type": "string"}}},
          "content": {"text/markdown": {"schema": {"type": "string"}},
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document": BINARY,
                      "application/pdf": BINARY,
                      "application/json": {"schema": EXPORT_JSON_SCHEMA, "example": EXAMPLE_EXPORT}}}}
EXPORT_RESPONSES = {**FILE_RESPONSE, **PROBLEM_RESPONSES(401, 403, 404, 422)}  # a thread
HISTORY_RESPONSES = {**FILE_RESPONSE, **PROBLEM_RESPONSES(401, 403, 422)}  # every thread of a period


def download(file: ExportFile) -> Response:
    """The file as an attachment (an ASCII name, and the RFC 5987 one beside it)."""
    disposition = f"attachment; filename=\"{file.filename}\"; filename*=UTF-8''{quote(file.filename)}"
    return Response(file.data, media_type=file.media_type,
                    headers={"Content-Disposition": disposition, "Cache-Control": "private, no-store"})
