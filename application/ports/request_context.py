"""Where the current request came from: the client's address and the request id, for the audit log.

A port rather than arguments of every use case: the shells know the request (the API's middleware
binds both to the log context), the use cases do not need to, and the audit log stamps each entry it
appends with the origin of the request being served. Outside a request (the worker, the CLI) both
are None."""

from __future__ import annotations

from typing import Protocol

import attrs


@attrs.frozen
class RequestOrigin:
    client_address: str | None = None
    request_id: str | None = None


class RequestContext(Protocol):
    def origin(self) -> RequestOrigin: ...
