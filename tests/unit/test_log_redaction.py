"""config.redaction: secrets never reach a log line, by field name or by shape (issue 13, break 1)."""

from __future__ import annotations

import io
import json

import structlog

from config.redaction import REDACTED, redact_secrets, scrub

HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"
KEY = "ak_" + "Q" * 43
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl"


def test_fields_named_like_secrets_are_replaced_and_counts_kept() -> None:
    event = redact_secrets(None, "info", {"event": "x", "password": "hunter22", "password_hash": HASH,
                                         "refresh_token": JWT, "api_key": KEY, "Authorization": "Bearer abc",
                                         "tokens_in": 120, "filename": "a.pdf",
                                         "nested": {"secret": "s", "items": [{"key": "k1"}]}})
    assert event["password"] == event["password_hash"] == event["refresh_token"] == REDACTED
    assert event["api_key"] == event["Authorization"] == REDACTED
    assert event["nested"] == {"secret": REDACTED, "items": [{"key": REDACTED}]}
    assert event["tokens_in"] == 120 and event["filename"] == "a.pdf"


def test_secrets_inside_any_text_are_replaced_by_shape() -> None:
    traceback = (f"psycopg.errors.X: [SQL: INSERT INTO users ...] [parameters: ('ann@x.io', '{HASH}')]\n"
                 f"key {KEY} jwt {JWT} header Authorization: Bearer {JWT[:30]} digest {'ab' * 32}")
    clean = scrub(traceback)
    for secret in (HASH, KEY, JWT, "ab" * 32):
        assert secret not in clean
    assert "$argon2" not in clean.replace("$argon2[redacted]", "") and "ann@x.io" in clean


def test_a_logged_exception_is_redacted_in_the_rendered_line() -> None:
    out = io.StringIO()
    saved = structlog.get_config()
    structlog.configure(processors=[structlog.processors.format_exc_info, redact_secrets,
                                    structlog.processors.JSONRenderer()],
                        logger_factory=structlog.PrintLoggerFactory(file=out), cache_logger_on_first_use=False)
    try:
        try:
            raise ValueError(f"statement failed with parameters ({HASH!r}, {KEY!r})")
        except ValueError:
            structlog.get_logger().exception("request_crashed", password="hunter22")
        line = json.loads(out.getvalue())
        assert HASH not in out.getvalue() and KEY not in out.getvalue() and "hunter22" not in out.getvalue()
        assert "ValueError" in line["exception"]
    finally:
        structlog.configure(**saved)
