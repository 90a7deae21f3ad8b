"""The catalog keys the Usage, Settings and Admin pages build at run time (``'tier_' ~ tier``, a
flash name, ``action ~ '_confirm'``), which no template scan can find: every one in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain.tiers import Window
from domain.users import Tier, UserStatus
from entrypoints.web.admin_page import STATUS_OF
from entrypoints.web.settings_page import _REFUSALS
from entrypoints.web.i18n import Translator

WEB = Path(__file__).resolve().parents[2] / "entrypoints" / "web"
FLASH = re.compile(r"""\b(done|failed)=["']([a-z_]+)["']""")


def flash_keys() -> set[str]:
    found = {f"{kind}_{name}" for module in ("settings_page.py", "admin_page.py")
             for kind, name in FLASH.findall((WEB / module).read_text())}
    return (found | {f"done_{action}ned" for action in STATUS_OF}  # admin_page: done=f"{action}ned"
            | {f"failed_{name}" for name in _REFUSALS.values()})  # settings_page: a refused Telegram link


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_key_built_at_run_time_is_in_the_catalog(language: str) -> None:
    t = Translator(language)
    keys = ({f"tier_{tier.value}" for tier in Tier} | {f"window_{w.value}" for w in Window}
            | {f"user_status_{s.value}" for s in UserStatus} | flash_keys()
            | {f"{action}{suffix}" for action in STATUS_OF for suffix in ("", "_title", "_confirm", "_yes")}
            | {f"month_{m}" for m in range(1, 13)})
    assert len(flash_keys()) >= 12, "the flash pattern found too few names"
    assert sorted(k for k in keys if not t.has(k)) == []
