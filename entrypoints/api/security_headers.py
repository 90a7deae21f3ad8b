"""The security headers every response carries, computed once per application.

- ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer`` everywhere;
- a Content-Security-Policy: ``default-src 'none'`` for everything the API answers (JSON has no
  use for scripts, frames or styles, so a response opened in a browser can run nothing); an HTML
  page sets its own, as strict as it can be (entrypoints.api.docs_pages), and keeps it;
  ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY`` so no page of ours is framed;
- ``Strict-Transport-Security`` when the public address (ASSISTANT_PUBLIC_URL) is https.
A header the route set itself is kept (a route may loosen or tighten its own policy)."""

from __future__ import annotations

from collections.abc import Iterable

STRICT = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    def __init__(self, *, https: bool) -> None:
        common = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                  (b"x-frame-options", b"DENY")]
        if https:
            common.append((b"strict-transport-security", HSTS.encode()))
        self._extra = [*common, (b"content-security-policy", STRICT.encode())]

    def add_to(self, headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        own = list(headers)
        present = {name.lower() for name, _ in own}
        return own + [(name, value) for name, value in self._extra if name not in present]
