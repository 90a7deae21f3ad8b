"""The web dashboard: server-rendered pages (Jinja2) with small ES modules of our own for the live
parts, served by the API process at ``/`` (``install`` in entrypoints.web.app). Pages call the same
use cases through the container as the API does; scripts call the JSON API with the session
cookie. See docs/web.md."""
