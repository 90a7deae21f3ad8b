"""Mount the dashboard on the API's application: its static files, its pages, its error pages.

Called by entrypoints.api.app.create_app after the API's own routes and problem handlers, so the
API keeps answering /api/... with JSON while every other address is a page."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from config.container import Container
from entrypoints.web import (admin_page, ask_page, auth_pages, errors, history_pages, library, settings_page,
                             usage_page)
from entrypoints.web.pages import STATIC, STATIC_URL


def install(app: FastAPI, container: Container) -> None:
    """``container`` is the API's (pages read it from ``request.app.state.container`` too)."""
    app.mount(STATIC_URL, StaticFiles(directory=STATIC), name="web-static")
    app.include_router(auth_pages.router)
    app.include_router(library.router)
    app.include_router(ask_page.router)
    app.include_router(history_pages.router)
    app.include_router(usage_page.router)
    app.include_router(settings_page.router)
    app.include_router(admin_page.router)
    errors.install(app)
