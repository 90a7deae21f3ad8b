"""Start-up: settings -> logging -> (embedded profile) migrations -> container."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy.engine import make_url
from dependency_injector import providers

from adapters.persistence.migrate import is_current, upgrade
from adapters.storage.key_records import StorageKeysMismatch
from config.container import Container, check_storage_keys
from config.errors import ConfigError
from config.error_tracking import init_error_tracking
from config.logging import configure_logging
from config.settings import Settings, load_settings
from application.use_cases.ensure_user import EnsureEmailUserCommand
from domain.users import Role, User

log = structlog.get_logger(__name__)

IMPLEMENTED_BACKENDS = {"llm": {"offline", "gemini", "openai"}, "queue": {"inline", "rq"}}


def build_container(settings: Settings | None = None, **overrides: Any) -> Container:
    """A ready container. Raises ConfigError with one line naming the bad setting."""
    settings = settings or load_settings(**overrides)
    configure_logging(json=(settings.log_format or ("json" if settings.env == "production" else "console")) == "json",
                      level=settings.log_level)
    init_error_tracking(settings)  # off without ASSISTANT_SENTRY_DSN
    config = settings.container_config()
    for key, available in IMPLEMENTED_BACKENDS.items():
        chosen = config[key]["backend"]
        if chosen not in available:
            raise ConfigError(f"{key}.backend={chosen} is not available in this version; use one of: "
                              + ", ".join(sorted(available)))
    settings.home.mkdir(parents=True, exist_ok=True)
    url = settings.resolved_database_url
    auto_migrate = settings.database_auto_migrate
    if (auto_migrate if auto_migrate is not None else settings.is_embedded_database) and not is_current(url):
        upgrade(url)  # the embedded profile follows the code's schema by itself
    if config["auth"]["jwt_secret"] is None:  # development only: production requires the setting
        config["auth"]["jwt_secret"] = development_jwt_secret(settings.home)
    container = Container()
    container.config.from_dict(config)
    container.settings.override(providers.Object(settings))
    try:
        check_storage_keys(container)
    except StorageKeysMismatch as error:
        raise ConfigError(str(error)) from None
    return container


def development_jwt_secret(home: Path) -> str:
    """A random secret kept in ASSISTANT_HOME, so development tokens survive restarts.

    Written whole under a temporary name, then hard-linked into place (atomic, and never over an
    existing file): processes starting together on a fresh home (``assistant serve --workers 2``)
    all read the one secret that got there first, never a missing or half-written file."""
    path = home / "jwt-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".jwt-secret.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first: its secret is the one
        finally:
            draft.unlink()
    return path.read_text().strip()


def local_user(container: Container) -> User:
    """The default operator account of this installation (an administrator), created on first use."""
    settings: Settings = container.settings()
    return container.ensure_user().email(EnsureEmailUserCommand(email=settings.local_user_email, role=Role.ADMIN,
                                                                username="local"))


def grant_database_role(role: str) -> str:
    """Grant the application's role its privileges on the configured database (run as the owner,
    after migrations: adapters.persistence.app_role); return the URL without a password."""
    from adapters.persistence.app_role import grant_app_role

    settings = load_settings()
    grant_app_role(settings.resolved_database_url, role)
    return make_url(settings.resolved_database_url).render_as_string(hide_password=True)


def migrate_database(revision: str = "head") -> str:
    """Apply migrations to the configured database; return its URL without a password."""
    settings = load_settings()
    configure_logging(json=settings.log_format == "json", level=settings.log_level)
    settings.home.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url, revision)
    return make_url(settings.resolved_database_url).render_as_string(hide_password=True)
