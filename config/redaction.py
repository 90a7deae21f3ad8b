"""A structlog processor that keeps secrets out of every log line, whatever logged them.

Two nets, both applied to the whole event (nested dicts and lists included):
- by name: the value of a field named like a secret (password, hash, token, secret, key,
  authorization, cookie ...) is replaced, when it is text; counts such as ``tokens_in`` stay;
- by shape: inside any text (a message, an exception and its traceback, a driver's error that
  quotes a statement's parameters) an Argon2 hash, an API key, a JWT or a bearer credential is
  replaced. SQLAlchemy is also told never to put parameters into its errors (adapters.persistence.engine).
"""

from __future__ import annotations

import re
from typing import Any

REDACTED = "[redacted]"
SECRET_NAME = re.compile(r"pass(word|wd)?|hash|token|secret|(^|_)key$|api_?key|authori[sz]ation|cookie|credential",
                         re.IGNORECASE)
SAFE_NAMES = frozenset({"event", "level", "timestamp", "logger", "request_id", "storage_key", "cache_key"})
SECRET_SHAPES = (
    (re.compile(r"\$argon2(?:id|i|d)\$[^\s'\",)\]}]*"), "$argon2[redacted]"),
    (re.compile(r"\bak_[A-Za-z0-9_-]{6,}"), "ak_[redacted]"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), "[redacted jwt]"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 [redacted]"),
    (re.compile(r"\b[0-9a-f]{64}\b"), "[redacted sha256]"),  # an API key's stored digest
)


def redact_secrets(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    return redact(event)


def scrub(text: str) -> str:
    for pattern, replacement in SECRET_SHAPES:
        text = pattern.sub(replacement, text)
    return text


def redact(value: Any, name: object = None, *, names: re.Pattern[str] = SECRET_NAME,
           safe: frozenset[str] = SAFE_NAMES) -> Any:
    """Both nets over ``value`` (the field ``name`` holds it). ``names`` and ``safe`` widen or narrow
    the first net for another destination: error tracking also drops fields named like content
    (config/error_tracking.py)."""
    if isinstance(name, str) and name not in safe and names.search(name) and isinstance(
            value, str | bytes) and value:
        return REDACTED
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: redact(v, k, names=names, safe=safe) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v, names=names, safe=safe) for v in value]
    return value
