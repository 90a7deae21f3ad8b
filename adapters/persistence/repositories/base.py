"""What every repository shares: the unit of work's current connection and entity -> row values."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

import attrs
from sqlalchemy import Connection

ConnectionSource = Callable[[], Connection]


class SqlAlchemyRepository:
    """Reads the connection from its unit of work on each call, so it fails loudly outside one."""

    def __init__(self, connection: ConnectionSource) -> None:
        self._connection_source = connection

    @property
    def _conn(self) -> Connection:
        return self._connection_source()


def row_values(entity: Any, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """An attrs entity's fields as column values, enums replaced by their string values."""
    values = attrs.asdict(entity, recurse=False)
    return {k: (v.value if isinstance(v, Enum) else v) for k, v in values.items() if k not in exclude}
