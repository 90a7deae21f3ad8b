"""Error tracking with sentry-sdk: on in every process (API, workers, bot, CLI) when
ASSISTANT_SENTRY_DSN is set, off (and sentry-sdk never initialised) without it.

What an event carries: the exception and its stack (file, function, line: no local variables), the
process (``component`` tag), the environment and release from the settings, and the ids of what
failed: ``request_id`` and ``user_id`` (the log context the API middleware and its authentication
bind), ``job_id`` (RQ's job), ``document_id``, and the bot's ``user_id``. What it never carries:
request bodies (questions, passwords), cookies and query strings, frame locals (document text,
prompts), logged breadcrumbs' data, RQ job arguments, the command line. Whatever text is left
(messages, exception values, headers, URLs) goes through the log redaction's rules
(config.redaction): fields named like a secret or like content (question, answer, text ...) are
replaced, and API keys, JWTs, bearer credentials and password hashes are replaced wherever they
appear. The AI SDK integrations (OpenAI, Google GenAI), which can record prompts and
answers, are disabled.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from typing import Any

import structlog

from config.redaction import SECRET_NAME, redact, scrub
from config.settings import Settings

log = structlog.get_logger(__name__)

# the ids an event is tagged with when the log context has them (bounded in size, never content)
CONTEXT_TAGS = ("request_id", "user_id", "job_id", "document_id", "thread_id")
# fields whose values are people's content rather than secrets: dropped like secrets
_CONTENT = re.compile(SECRET_NAME.pattern + r"|api-key|question|answer|prompt|text|content|body|caption|query",
                      re.IGNORECASE)
_SAFE_NAMES = frozenset({"request_id", "user_id", "job_id", "document_id", "thread_id", "component", "type",
                         "value", "module", "function", "filename", "abs_path", "lineno", "environment",
                         "release", "level", "logger", "platform", "event_id", "timestamp", "transaction",
                         "server_name", "func", "url", "method", "status_code"})


def init_error_tracking(settings: Settings, component: str | None = None) -> bool:
    """Initialise sentry-sdk from the settings; True when a DSN is set. Idempotent enough for a
    process that builds its container twice (tests): the client is replaced, not duplicated."""
    if settings.sentry_dsn is None:
        return False
    import sentry_sdk  # imported only when configured: it costs a command's start-up ~0.1 s
    from sentry_sdk.integrations.google_genai import GoogleGenAIIntegration
    from sentry_sdk.integrations.openai import OpenAIIntegration

    sentry_sdk.init(
        dsn=settings.sentry_dsn.get_secret_value(),
        environment=settings.sentry_environment or settings.env,
        release=settings.sentry_release or _release(),
        sample_rate=settings.sentry_sample_rate,
        traces_sample_rate=settings.sentry_traces_sample_rate,
        include_local_variables=False,
        max_request_body_size="never",
        max_breadcrumbs=30,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        before_breadcrumb=_scrub_breadcrumb,
        disabled_integrations=[OpenAIIntegration(), GoogleGenAIIntegration()],
    )
    if component:
        sentry_sdk.set_tag("component", component)
    log.info("error_tracking_enabled", environment=settings.sentry_environment or settings.env)
    return True


def set_component(component: str) -> None:
    """Which process this is (api, worker, bot), as a tag of every later event; nothing without a DSN."""
    sentry_sdk = _active()
    if sentry_sdk is not None:
        sentry_sdk.set_tag("component", component)


def tag_current(**tags: object) -> None:
    """Tag whatever this scope reports from now on (a job's document id, set once the job read it;
    RQ's integration gives each job a scope of its own); nothing without a DSN."""
    sentry_sdk = _active()
    if sentry_sdk is not None:
        for name, value in tags.items():
            sentry_sdk.get_current_scope().set_tag(name, str(value))


def report_exception(error: BaseException, **tags: object) -> None:
    """Send one handled error (the bot's error handler: python-telegram-bot swallows handler errors)
    with ``tags`` (ids only); nothing without a DSN. ``user_id`` also becomes the event's user."""
    sentry_sdk = _active()
    if sentry_sdk is None:
        return
    with sentry_sdk.new_scope() as scope:
        for name, value in tags.items():
            if value is not None:
                scope.set_tag(name, str(value))
        if tags.get("user_id") is not None:
            scope.set_user({"id": str(tags["user_id"])})
        sentry_sdk.capture_exception(error)


def scrub_event(event: dict[str, Any], _hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """before_send: the ids from the log context as tags, then nothing of a person's content or secrets."""
    context = structlog.contextvars.get_contextvars()
    tags = event.setdefault("tags", {})
    for name in CONTEXT_TAGS:
        if context.get(name) is not None and name not in tags:
            tags[name] = str(context[name])
    extra = event.get("extra") or {}
    extra.pop("sys.argv", None)  # a command line may hold a password (`assistant ingest --password ...`)
    job = extra.get("rq-job")
    if isinstance(job, dict):
        if job.get("job_id"):
            tags.setdefault("job_id", str(job["job_id"]))
        event["extra"]["rq-job"] = {k: job[k] for k in ("job_id", "func") if k in job}  # no args, no description
    if tags.get("user_id") and not (event.get("user") or {}).get("id"):
        event["user"] = {"id": tags["user_id"]}
    request = event.get("request")
    if isinstance(request, dict):
        for dropped in ("data", "cookies", "query_string"):
            request.pop(dropped, None)
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, dict):
        breadcrumbs["values"] = [_scrub_breadcrumb(b) for b in breadcrumbs.get("values") or []]
    return redact(event, names=_CONTENT, safe=_SAFE_NAMES)


def _scrub_breadcrumb(crumb: dict[str, Any], _hint: dict[str, Any] | None = None) -> dict[str, Any]:
    crumb = {k: v for k, v in crumb.items() if k != "data"}
    if isinstance(crumb.get("message"), str):
        crumb["message"] = scrub(crumb["message"])
    return crumb


def _active() -> Any:
    """sentry_sdk when a client is initialised in this process, else None (and no import)."""
    module = sys.modules.get("sentry_sdk")
    return module if module is not None and module.get_client().is_active() else None


def _release() -> str:
    try:
        return f"ai-business-assistant@{metadata.version('ai-business-assistant')}"
    except metadata.PackageNotFoundError:
        return "ai-business-assistant@unknown"
