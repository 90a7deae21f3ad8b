"""Rendering a page: the Jinja2 environment, what every template gets, and the page's headers.

Templates autoescape everything (a filename like ``<img src=x onerror=alert(1)>`` is text) and
fail on an undefined name (StrictUndefined) instead of rendering an empty string. A page's data
for its scripts goes in one ``<script type="application/json" id="page-data">`` block (Jinja's
``tojson`` escapes ``<``, ``>``, ``&`` and quotes), so the Content-Security-Policy needs no inline
script: scripts and styles come from this server only."""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from entrypoints.api.languages import LANGUAGES
from entrypoints.web.i18n import Translator
from entrypoints.web.navigation import NAV
from entrypoints.web.visitors import Visitor, page_language

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
STATIC_URL = "/static"
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
PAGE_HEADERS = {"Content-Security-Policy": PAGE_POLICY, "Cache-Control": "no-store"}  # no private page in a cache

environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                 undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@functools.cache
def static_url(path: str) -> str:
    """``/static/<path>?v=<content hash>``: a changed file gets a new address, so a page never pairs
    with a stale copy of what it links (modules that scripts import are linked without one: entrypoints.web.app has them revalidated).
    Hashed once per process: the files ship with the code and do not change while it runs."""
    digest = hashlib.sha256((STATIC / path).read_bytes()).hexdigest()[:12]
    return f"{STATIC_URL}/{path}?v={digest}"


def human_size(size: int, t: Translator) -> str:
    """1536 -> "1.5 KB" ("1,5 КБ" in Russian)."""
    value, unit = float(size), "size_bytes"
    for bigger in ("size_kb", "size_mb", "size_gb"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    number = f"{value:.0f}" if unit == "size_bytes" or value >= 100 else f"{value:.1f}"
    return t(unit, n=number.replace(".", "," if t.lang == "ru" else "."))


def utc(moment: datetime) -> str:
    """A timestamp as people read it, in UTC (the page shows the ISO form in ``<time datetime>``)."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def render(request: Request, template: str, *, visitor: Visitor | None = None, status: int = 200,
           title_key: str | None = None, data: dict[str, Any] | None = None, lang: str | None = None,
           **context: Any) -> HTMLResponse:
    """The page ``template`` in the visitor's language. ``data`` is handed to the page's scripts
    (with their strings); ``context`` to the template. ``csrf_token`` is the session's when signed
    in; a page shown before sign-in passes its own (the pre-session token)."""
    language = lang or page_language(request, visitor)
    t = Translator(language)
    page_data = {"lang": language, "csrf": visitor.csrf if visitor else None, **(data or {})}
    if data is not None:
        page_data["strings"] = t.for_script()
    values = {"request": request, "visitor": visitor, "lang": language, "languages": LANGUAGES, "t": t,
              "title": t(title_key) if title_key else t("app_name"), "nav": [n for n in NAV if n.shown_to(visitor)],
              "path": request.url.path, "static": static_url, "size": lambda n: human_size(n, t), "utc": utc,
              "page_data": page_data, "csrf_token": visitor.csrf if visitor else "", **context}
    body = environment.get_template(template).render(values)
    return HTMLResponse(body, status_code=status, headers=PAGE_HEADERS)
