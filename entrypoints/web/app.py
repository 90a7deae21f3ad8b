"""Mount the dashboard on the API's application: its static files, its pages, its error pages.

Called by entrypoints.api.app.create_app after the API's own routes and problem handlers, so the
API keeps answering /api/... with JSON while every other address is a page."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from entrypoints.web import (admin_page, ask_page, auth_pages, errors, history_pages, library, settings_page,
                             usage_page)
from entrypoints.web.pages import STATIC, STATIC_URL


def install(app: FastAPI) -> None:
    """The pages, their static files and error pages on the API's app (pages read the container
    from ``request.app.state.container``)."""
    app.mount(STATIC_URL, StaticFiles(directory=STATIC), name="web-static")
    for pages in (auth_pages, library, ask_page, history_pages, usage_page, settings_page, admin_page):
        app.include_router(pages.router)
    errors.install(app)
