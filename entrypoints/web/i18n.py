"""The dashboard's languages: English and Russian catalogs (messages_en, messages_ru), one key set.

A page speaks the signed-in user's saved language (the set_language use case); before sign-in, the
``assistant_lang`` cookie a visitor set with the language switch, else the best of Accept-Language,
else English. Scripts get their strings from the page (``Translator.for_script``), never their own."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from entrypoints.web.messages_en import TEXTS as EN
from entrypoints.web.messages_ru import TEXTS as RU

LANGUAGE_COOKIE = "assistant_lang"
CATALOGS = {"en": EN, "ru": RU}
# the keys a page hands its scripts: their own (js_), what to do after an error, the labels of
# statuses, kinds and sizes, the delete confirmation, the documents count
SCRIPT_PREFIXES = ("js_", "error_", "status_", "kind_", "size_", "delete_", "documents_used")


@attrs.frozen
class Translator:
    """``t(key, **values)`` in templates; a key missing from the catalog is a bug (KeyError), which
    tests/unit/test_web_i18n.py catches for every key the templates and scripts use."""

    lang: str

    def __call__(self, key: str, **values: object) -> str:
        text = CATALOGS[self.lang][key]
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in CATALOGS[self.lang]

    def what_to_do(self, code: str | None) -> str:
        """What a person can do after an error with this code (a general line for other codes)."""
        key = f"error_{code}"
        return self(key) if code and self.has(key) else self("error_other")

    def for_script(self, prefixes: Iterable[str] = SCRIPT_PREFIXES) -> dict[str, str]:
        """The strings a page's scripts may show: every key with one of these prefixes, unformatted
        (scripts fill ``{name}`` placeholders themselves)."""
        prefixes = tuple(prefixes)
        return {key: text for key, text in CATALOGS[self.lang].items() if key.startswith(prefixes)}
