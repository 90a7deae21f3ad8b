"""English and Russian catalogs: every user-facing string of the bot and every domain error code.

``t(lang, key, **values)`` formats a string; unknown languages fall back to English. Values are
inserted as given: callers escape them when the message is sent in HTML parse mode."""

from __future__ import annotations

from entrypoints.bot.messages_en import ERRORS as EN_ERRORS
from entrypoints.bot.messages_en import TEXTS as EN_TEXTS
from entrypoints.bot.messages_ru import ERRORS as RU_ERRORS
from entrypoints.bot.messages_ru import TEXTS as RU_TEXTS

LANGUAGES = ("en", "ru")
DEFAULT = "en"
_TEXTS = {"en": EN_TEXTS, "ru": RU_TEXTS}
_ERRORS = {"en": EN_ERRORS, "ru": RU_ERRORS}


def language_of(code: str | None) -> str:
    """Telegram's language_code ("ru", "ru-RU", "en-GB", None) -> a catalog language."""
    short = (code or "").lower()[:2]
    return short if short in LANGUAGES else DEFAULT


def t(lang: str, key: str, **values: object) -> str:
    texts = _TEXTS.get(lang, EN_TEXTS)
    return texts.get(key, EN_TEXTS[key]).format(**values)


def error_text(lang: str, code: str, **values: object) -> str:
    """The translated message for a domain error code (an unknown code gets a generic line)."""
    errors = _ERRORS.get(lang, EN_ERRORS)
    template = errors.get(code) or EN_ERRORS.get(code) or errors["domain_error"]
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return errors["domain_error"]
