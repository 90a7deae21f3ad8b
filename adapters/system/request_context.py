"""The request context from structlog's context variables, which the API's middleware binds per
request (``request_id``, ``client_address``): one source for the logs and the audit log."""

from __future__ import annotations

import structlog

from application.ports.request_context import RequestOrigin


class LogContextRequestContext:
    """Implements application.ports.request_context.RequestContext."""

    def origin(self) -> RequestOrigin:
        bound = structlog.contextvars.get_contextvars()
        return RequestOrigin(client_address=_text(bound.get("client_address")), request_id=_text(bound.get("request_id")))


def _text(value: object) -> str | None:
    return str(value)[:64] if value else None
