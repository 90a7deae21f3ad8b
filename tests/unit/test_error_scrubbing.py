"""config.error_tracking.scrub_event, the last step before an event leaves the process (the end-to-end
checks with a real sentry-sdk are in tests/e2e/test_error_tracking.py)."""

from __future__ import annotations

import structlog

from config.error_tracking import scrub_event

API_KEY = "ak_Q2hlY2tpbmdUaGVTY3J1YmJlcg1234"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlLXZhbHVl"


def event() -> dict:
    return {
        "message": f"failed with key {API_KEY}",
        "exception": {"values": [{"type": "RuntimeError", "value": f"token {JWT} refused", "stacktrace": {
            "frames": [{"function": "ask", "lineno": 3, "vars": {"question": "the secret plan", "password": "pw"}}]}}]},
        "request": {"url": "http://api/api/v1/query", "method": "POST", "data": {"question": "the secret plan"},
                    "cookies": {"session": "c"}, "query_string": "password=pw",
                    "headers": {"X-API-Key": API_KEY, "Authorization": f"Bearer {JWT}", "Accept": "*/*"}},
        "extra": {"sys.argv": ["assistant", "ingest", "--password", "hunter2", "q.pdf"],
                  "rq-job": {"job_id": "job-1", "func": "jobs.process", "args": ["hunter2"], "kwargs": {},
                             "description": "process hunter2"},
                  "document_text": "Confidential terms", "count": 3},
        "breadcrumbs": {"values": [{"category": "httpx", "message": f"GET with {API_KEY}",
                                    "data": {"url": "http://x/?password=pw"}}]},
    }


def test_content_secrets_and_arguments_are_removed() -> None:
    scrubbed = scrub_event(event())
    text = repr(scrubbed)
    for secret in (API_KEY, JWT, "the secret plan", "hunter2", "Confidential terms", "password=pw", "'pw'"):
        assert secret not in text, secret
    assert scrubbed["request"] == {"url": "http://api/api/v1/query", "method": "POST",
                                   "headers": {"X-API-Key": "[redacted]", "Authorization": "[redacted]",
                                               "Accept": "*/*"}}
    assert "vars" not in scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert scrubbed["exception"]["values"][0]["value"] == "token [redacted jwt] refused"
    assert scrubbed["extra"] == {"rq-job": {"job_id": "job-1", "func": "jobs.process"},
                                 "document_text": "[redacted]", "count": 3}
    assert scrubbed["breadcrumbs"]["values"] == [{"category": "httpx", "message": "GET with ak_[redacted]"}]


def test_the_ids_of_the_log_context_become_tags_and_the_user() -> None:
    with structlog.contextvars.bound_contextvars(request_id="req-9", user_id="u-1", document_id="d-2", auth="key"):
        scrubbed = scrub_event({"tags": {"component": "api"}})
    assert scrubbed["tags"] == {"component": "api", "request_id": "req-9", "user_id": "u-1", "document_id": "d-2"}
    assert scrubbed["user"] == {"id": "u-1"}
    assert scrub_event({"extra": {"rq-job": {"job_id": "j-7"}}})["tags"] == {"job_id": "j-7"}
