"""The pages in the header's menu, in order. A new page adds one entry here (its label is a catalog
key; ``admin`` entries are shown to administrators only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from entrypoints.web.visitors import Visitor


@attrs.frozen
class NavItem:
    path: str
    label_key: str
    admin: bool = False

    def shown_to(self, visitor: Visitor | None) -> bool:
        return visitor is not None and (not self.admin or visitor.user.is_admin)


NAV: tuple[NavItem, ...] = (
    NavItem("/", "nav_library"),
    NavItem("/ask", "nav_ask"),
    NavItem("/history", "nav_history"),
    NavItem("/usage", "nav_usage"),
    NavItem("/settings", "nav_settings"),
    NavItem("/admin", "nav_admin", admin=True),
)
