"""English and Russian catalogs: every user-facing string of the bot; error codes: application.error_texts.

``t(lang, key, **values)`` formats a string; unknown languages fall back to English. Values are
inserted as given: callers escape them when the message is sent in HTML parse mode."""

from __future__ import annotations

from application import error_texts
from entrypoints.bot.messages_en import TEXTS as EN_TEXTS
from entrypoints.bot.messages_ru import TEXTS as RU_TEXTS

LANGUAGES = ("en", "ru")
DEFAULT = "en"
_TEXTS = {"en": EN_TEXTS, "ru": RU_TEXTS}


def language_of(code: str | None) -> str:
    """Telegram's language_code ("ru", "ru-RU", "en-GB", None) -> a catalog language."""
    short = (code or "").lower()[:2]
    return short if short in LANGUAGES else DEFAULT


def t(lang: str, key: str, **values: object) -> str:
    texts = _TEXTS.get(lang, EN_TEXTS)
    return texts.get(key, EN_TEXTS[key]).format(**values)


def error_text(lang: str, code: str, **values: object) -> str:
    """The translated message for a domain error code (an unknown code gets a generic line)."""
    return error_texts.error_text(lang, code, **values)
