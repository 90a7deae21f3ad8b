"""JSON: the export as data (the same fields as the API's threads, citations with their labels)."""

from __future__ import annotations

import json
from typing import Any

from application.ports.export_renderer import ConversationExport, ExportedThread


class JsonExportRenderer:
    """Implements application.ports.export_renderer.ExportRenderer."""

    media_type = "application/json"
    extension = "json"

    def render(self, export: ConversationExport) -> bytes:
        document = {"title": export.title, "generated_at": export.generated_at.isoformat(),
                    "period": export.period or None, "threads": [_thread(t) for t in export.threads]}
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def _thread(thread: ExportedThread) -> dict[str, Any]:
    return {"id": str(thread.id), "title": thread.title, "scope": thread.scope, "documents": list(thread.documents),
            "created_at": thread.created_at.isoformat(), "updated_at": thread.updated_at.isoformat(),
            "turns": [{"question": turn.question, "answer": turn.answer, "asked_at": turn.asked_at.isoformat(),
                       "model": turn.model,
                       "citations": [{"number": c.number, "label": c.label, "document": c.document,
                                      "quote": c.quote} for c in turn.citations]}
                      for turn in thread.turns]}
