"""Errors -> one line on stderr and a distinct exit code per domain error code."""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from config.errors import ConfigError
from domain.errors import DomainError
from entrypoints.cli import state

EXIT_CODES: dict[str, int] = {
    "invalid_input": 10, "user_not_found": 11, "user_banned": 12, "user_inactive": 13, "email_taken": 14,
    "invalid_credentials": 15, "permission_denied": 16, "document_not_found": 17, "document_not_ready": 18,
    "document_failed": 19, "no_active_document": 20, "document_quota_exceeded": 21, "file_empty": 22,
    "file_too_large": 23, "unsupported_file_type": 24, "file_encrypted": 25, "file_corrupt": 26,
    "no_text_found": 27, "rate_limited": 28, "processing_error": 29,
    "password_required": 30, "file_too_complex": 31, "hostile_file": 32, "stored_file_unreadable": 33,
    "backup_failed": 34, "restore_refused": 35, "link_refused": 36,
    "service_unavailable": 75,  # sysexits EX_TEMPFAIL: try again later
}
EXIT_DOMAIN_OTHER = 1
EXIT_NO_INPUT = 66  # sysexits EX_NOINPUT: a file named on the command line cannot be read
EXIT_INTERNAL = 70  # EX_SOFTWARE
EXIT_CONFIG = 78  # EX_CONFIG

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def exit_code_for(code: str) -> int:
    return EXIT_CODES.get(code, EXIT_DOMAIN_OTHER)


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn every error into one line and an exit code; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except DomainError as error:
            raise fail(f"{error.message} [{error.code}]", exit_code_for(error.code)) from None
        except ConfigError as error:
            raise fail(f"configuration: {error.message}", EXIT_CONFIG) from None
        except Exception as error:  # the last line of defence
            # -vv shows the traceback: through config.logging's handler once logging is configured,
            # else (a crash before the container was built) printed on stderr as it is
            if logging.getLogger().handlers:
                logging.getLogger(__name__).debug("command_crashed", exc_info=True)
            elif state.verbosity() >= 2:
                traceback.print_exc()
            raise fail(f"internal error ({type(error).__name__}); run it again with -vv for details",
                       EXIT_INTERNAL) from None

    return wrapper
