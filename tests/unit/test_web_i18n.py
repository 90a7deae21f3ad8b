"""The dashboard's catalogs: English and Russian hold the same keys with the same placeholders, and
every key a template or a script asks for exists (so a page never shows a raw key or fails)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from domain.documents import DocumentKind, DocumentStatus
from entrypoints.api.languages import negotiate, supported
from entrypoints.web.i18n import CATALOGS, SCRIPT_PREFIXES, Translator

WEB = Path(__file__).resolve().parents[2] / "entrypoints" / "web"
TEMPLATE_KEY = re.compile(r"""\bt\(\s*['"]([a-z0-9_]+)['"]""")
SCRIPT_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']""")
EN, RU = CATALOGS["en"], CATALOGS["ru"]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogs_hold_the_same_keys() -> None:
    assert sorted(set(EN) - set(RU)) == [], "missing from messages_ru"
    assert sorted(set(RU) - set(EN)) == [], "missing from messages_en"


@pytest.mark.parametrize("key", sorted(EN))
def test_each_translation_takes_the_same_placeholders(key: str) -> None:
    assert placeholders(EN[key]) == placeholders(RU[key]), key
    assert RU[key].strip() and EN[key].strip()


def test_every_key_a_template_uses_is_in_the_catalogs() -> None:
    used = {key for path in (WEB / "templates").rglob("*.html") for key in TEMPLATE_KEY.findall(path.read_text())
            if not key.endswith("_")}  # 'kind_' ~ kind.value: the families are checked below
    assert used, "no template key found: the pattern is wrong"
    assert sorted(used - set(EN)) == []


def test_every_key_a_script_uses_is_in_the_catalogs_and_handed_to_scripts() -> None:
    used = {key for path in (WEB / "static" / "js").rglob("*.js") for key in SCRIPT_KEY.findall(path.read_text())
            if not key.endswith("_")}
    assert used, "no script key found: the pattern is wrong"
    assert sorted(used - set(EN)) == []
    assert sorted(k for k in used if not k.startswith(SCRIPT_PREFIXES)) == [], "not in the page's JSON block"


def test_every_kind_status_and_language_has_a_label_in_both_languages() -> None:
    for language in ("en", "ru"):
        t = Translator(language)
        assert all(t.has(f"language_{code}") for code in CATALOGS)
        assert all(t.has(f"kind_{k.value}") for k in DocumentKind)
        assert all(t.has(f"status_{s.value}") for s in DocumentStatus)


def test_scripts_get_their_strings_unformatted() -> None:
    strings = Translator("ru").for_script()
    assert strings["js_uploading"] == RU["js_uploading"] and "{percent}" in strings["js_uploading"]
    assert "signin_title" not in strings  # only what scripts show


def test_what_to_do_has_a_line_for_unknown_codes() -> None:
    t = Translator("en")
    assert t.what_to_do("password_required") == EN["error_password_required"]
    assert t.what_to_do("no_such_code") == t.what_to_do(None) == EN["error_other"]


@pytest.mark.parametrize(("header", "expected"), [
    ("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "ru"),
    ("en-GB,en;q=0.9,ru;q=0.8", "en"),
    ("de-DE,de;q=0.9,ru;q=0.5,en;q=0.4", "ru"),
    ("fr, en;q=0", None),
    ("ru;q=0.2, en;q=bad", "ru"),
    ("", None),
    (None, None),
])
def test_accept_language_picks_the_most_wanted_catalog_language(header: str | None, expected: str | None) -> None:
    assert negotiate(header) == expected


def test_supported_languages() -> None:
    assert supported("RU-ru") == "ru" and supported("en") == "en" and supported("de") is None and supported(None) is None
