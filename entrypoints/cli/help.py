"""Help screens without type noise, in one place rather than on every declaration.

Typer (0.29) draws a type label beside every parameter: ``<bool>`` for a flag (``--json``,
``--yes``, even ``--help``, which no command declares), ``<int>`` for ``-v``'s counter,
``<list[str]>`` for an argument, and wraps arguments in ``{NAME}...`` on the usage line. Here:
a flag or a counter takes no value, so it shows none; a parameter declared with a ``metavar``
(``FILE...``, ``DOCUMENT``, ``EMAIL``) shows exactly that, on the usage line and in its panel.
Older typer versions, which draw none of this, leave these attributes unused."""

from __future__ import annotations

from typing import Any

import typer.core


def _tidy(param: Any) -> None:
    if (getattr(param, "is_flag", False) or getattr(param, "count", False)) and param.metavar is None:
        param.metavar = ""
    elif isinstance(param, typer.core.TyperArgument) and param.metavar:
        metavar = param.metavar
        param._usage_display_name = lambda: metavar  # not "{FILE...}..."
        param.display_type_rich = lambda ctx: None  # not "<list[Path]>" after it


class _TidyHelp:
    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            _tidy(param)
        return params


class Command(_TidyHelp, typer.core.TyperCommand):
    """Every ``assistant`` command (``app.command(cls=Command)``)."""


class Group(_TidyHelp, typer.core.TyperGroup):
    """``assistant`` and its sub-command groups (``typer.Typer(cls=Group)``)."""
