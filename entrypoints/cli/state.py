"""The container, built once per process on first use, the acting user, and the log level.

Nothing heavy is imported here at module level: ``config.bootstrap`` and ``config.container``
bring settings, migrations, SQLAlchemy and dependency-injector (the adapters themselves are imported
when first built: config/lazy.py), so they are imported by the first command that needs the
container, never by ``assistant --help`` or ``--version``."""

from __future__ import annotations

import functools
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.container import Container
    from config.settings import Settings
    from domain.users import User

VERBOSE_LEVELS = ("WARNING", "INFO", "DEBUG")  # no -v, -v, -vv
# what dependency_injector.wiring imports when installed, only to recognise these frameworks' markers
# in the functions it wires (FastAPI's Depends, Starlette's Request, Werkzeug's LocalProxy)
WIRING_EXTRAS = ("fastapi.params", "starlette.requests", "werkzeug.local", "fast_depends.dependencies",
                 "fast_depends.dependencies.model")
_logging = {"verbosity": 0, "service": False}


def configure(*, verbosity: int, service: bool) -> None:
    """Called by the CLI's callback before any command: ``-v``/``-vv`` and whether the command is a
    long-running service (serve, bot, worker), which logs at ASSISTANT_LOG_LEVEL (INFO) as before."""
    _logging.update(verbosity=verbosity, service=service)


def verbosity() -> int:
    return int(_logging["verbosity"])


def log_level(settings: Settings) -> str:
    """-v INFO and -vv DEBUG win; then a service's level is the setting (INFO by default); another
    command's is the setting when it is set explicitly (ASSISTANT_LOG_LEVEL, .env, YAML), else WARNING:
    a command's terminal output is its own, warnings and errors only on stderr."""
    if verbosity():
        return VERBOSE_LEVELS[min(verbosity(), len(VERBOSE_LEVELS) - 1)]
    if _logging["service"] or "log_level" in settings.model_fields_set:
        return settings.log_level
    return "WARNING"


@functools.cache
def container() -> Container:
    if not _logging["service"]:
        _import_dependency_injector_alone()
    from config.bootstrap import build_container
    from config.settings import load_settings

    settings = load_settings()
    return build_container(settings.model_copy(update={"log_level": log_level(settings)}))


def _import_dependency_injector_alone() -> None:
    """Import dependency_injector without FastAPI and Werkzeug (a tenth of a second of each command's
    start-up): nothing in this application is wired (containers are passed explicitly), so its wiring
    module does not need their markers. Not for serve and bot, which run FastAPI in this process."""
    hidden = [name for name in WIRING_EXTRAS if name not in sys.modules]
    if "dependency_injector.wiring" in sys.modules or not hidden:
        return
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # "import halted": its ImportError is expected
    try:
        import dependency_injector.wiring  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]


def acting_user(email: str | None) -> User:
    """``--user EMAIL`` (looked up by the local administrator), or the local default user."""
    built = container()  # first: it decides how dependency_injector is imported
    from config.bootstrap import local_user

    operator = local_user(built)
    if email is None:
        return operator
    return container().find_user()(operator.id, email)
