"""Flash messages after a form (Post/Redirect/Get): the POST redirects to ``<page>?done=<what>``
(or ``?failed=<what>``) and the page shows the catalog's ``done_<what>`` / ``failed_<what>``.

Only a name travels in the address, never text: a name that is not a catalog key shows nothing,
so a crafted link cannot put words on the page. Reloading the page shows the message again,
which is harmless; it is gone on the next navigation."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

import attrs
from starlette.requests import Request

from entrypoints.web.i18n import Translator

_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}\Z")


@attrs.frozen
class Flash:
    text: str
    failed: bool  # an error (role="alert") rather than a confirmation (role="status")


def redirect_url(path: str, *, done: str | None = None, failed: str | None = None) -> str:
    """``path`` (which may have a query of its own: the admin page's search) with this flash name
    instead of any it had."""
    base, _, query = path.partition("?")
    values = [(k, v) for k, v in parse_qsl(query) if k not in ("done", "failed")]
    values += [(k, v) for k, v in (("done", done), ("failed", failed)) if v]
    return f"{base}?{urlencode(values)}" if values else base


def flash_of(request: Request, t: Translator) -> Flash | None:
    for kind in ("failed", "done"):
        name = request.query_params.get(kind) or ""
        if _NAME.match(name) and t.has(f"{kind}_{name}"):
            return Flash(text=t(f"{kind}_{name}"), failed=kind == "failed")
    return None
