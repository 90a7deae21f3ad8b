"""Mount the dashboard on the API's application: its static files, its pages, its error pages.

Called by entrypoints.api.app.create_app after the API's own routes and problem handlers, so the
API keeps answering /api/... with JSON while every other address is a page."""

from __future__ import annotations

import os
from os import PathLike

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

from entrypoints.web import (admin_page, ask_page, auth_pages, errors, history_pages, library, settings_page,
                             usage_page)
from entrypoints.web.pages import STATIC, STATIC_URL


class VersionedStaticFiles(StaticFiles):
    """A file asked for by its hashed address (``?v=``, pages.static_url) is cached for a year; any
    other (the modules a script imports by a plain relative path) is revalidated on every use
    (ETag, 304), so after an upgrade a browser never runs an old module beside a new page."""

    def file_response(self, full_path: PathLike[str] | str, stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        versioned = b"v=" in scope.get("query_string", b"")
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable" if versioned else "no-cache"
        return response


def install(app: FastAPI) -> None:
    """The pages, their static files and error pages on the API's app (pages read the container
    from ``request.app.state.container``)."""
    app.mount(STATIC_URL, VersionedStaticFiles(directory=STATIC), name="web-static")
    for pages in (auth_pages, library, ask_page, history_pages, usage_page, settings_page, admin_page):
        app.include_router(pages.router)
    errors.install(app)
