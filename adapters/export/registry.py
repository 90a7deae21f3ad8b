"""Which renderer writes which format; each module is imported when its format is first asked for
(python-docx and fpdf2 cost a tenth of a second and more to import)."""

from __future__ import annotations

import importlib

from application.ports.export_renderer import ExportRenderer
from domain.errors import InvalidInput

RENDERERS = {"md": ("adapters.export.markdown", "MarkdownExportRenderer"),
             "json": ("adapters.export.json_export", "JsonExportRenderer"),
             "docx": ("adapters.export.docx", "DocxExportRenderer"),
             "pdf": ("adapters.export.pdf", "PdfExportRenderer")}


class ExportRendererMap:
    """Implements application.ports.export_renderer.ExportRenderers."""

    def __init__(self) -> None:
        self._built: dict[str, ExportRenderer] = {}

    def renderer(self, format: str) -> ExportRenderer:
        if format not in self._built:
            if format not in RENDERERS:
                raise InvalidInput(f"Unknown export format {format!r}: the formats are {', '.join(RENDERERS)}.",
                                   field="format")
            module, name = RENDERERS[format]
            self._built[format] = getattr(importlib.import_module(module), name)()
        return self._built[format]
