"""Settings from ASSISTANT_* environment variables, a .env file and an optional YAML file.

Precedence: environment > .env > YAML file (ASSISTANT_CONFIG_FILE, default ./assistant.yaml when
present) > defaults. Keys in YAML are the setting names without the prefix, in lower case."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from application.ports.attempts import AttemptLimit
from config.errors import ConfigError

ENV_PREFIX = "ASSISTANT_"
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as secret_token


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore",
                                      case_sensitive=False, validate_default=True)

    env: Literal["development", "production"] = "development"
    home: Path = Path("./var")
    database_url: str | None = None
    database_auto_migrate: bool | None = None
    # PostgreSQL row-level security (migration 0011): each transaction names the user it acts for;
    # on when the app connects as a role bound by the policies (docs/production.md)
    database_row_security: bool = False
    database_row_role: Literal["worker", "admin"] | None = None  # a process's standing role (the worker shell sets worker)
    # PostgreSQL connections per process: each engine keeps this many and opens as many more under a
    # burst; an API process's async store opens up to this many too (the budget: docs/scaling.md)
    database_pool_size: int = Field(20, ge=1, le=200)
    database_transaction_pooler: bool = False  # the URL is PgBouncer in transaction mode (docs/scaling.md)
    database_read_url: str | None = None  # a streaming replica for reports and lists (docs/scaling.md)

    llm_backend: Literal["offline", "gemini", "openai"] = "offline"
    gemini_api_key: SecretStr | None = None
    gemini_model: str = "gemini-2.5-flash"
    gemini_base_url: str | None = None
    openai_api_key: SecretStr | None = None
    openai_model: str = "gpt-4o-mini"
    openai_base_url: str | None = None
    gemini_api_version: str = "v1beta"
    llm_fallback: Annotated[list[Literal["offline", "gemini", "openai"]], NoDecode] = Field(default_factory=list)
    llm_timeout: float = Field(60.0, gt=0, le=3600)  # seconds per model call
    llm_max_retries: int = Field(2, ge=0, le=10)  # retries per model on 429/5xx/timeouts before the next
    llm_retry_delay: float = Field(0.5, ge=0, le=60)  # first backoff; doubled per retry, jittered, capped at 8 s
    llm_prices: dict[str, Any] = Field(default_factory=dict)  # {"model": {"input": $/1M, "output": $/1M}}

    transcription_backend: Literal["offline", "whisper"] = "offline"
    whisper_model: str = "whisper-1"
    whisper_base_url: str | None = None  # default: ASSISTANT_OPENAI_BASE_URL (OpenAI's when unset)
    whisper_api_key: SecretStr | None = None  # default: ASSISTANT_OPENAI_API_KEY
    transcription_language: str | None = None  # ISO 639-1 hint such as "en" or "ru"; None: detected
    ocr_languages: str = "eng+rus"  # Tesseract language packs to read textless PDF pages with
    ocr_max_pixels: int = Field(25_000_000, ge=1_000_000, le=10_000_000_000)  # of one page image for OCR:
    # a big page is rendered below 300 dpi to fit
    pdf_max_image_pixels: int = Field(100_000_000, ge=1_000_000, le=10_000_000_000)  # a PDF image declared
    # larger is never decoded: its page is not read by OCR
    worker_memory_mb: int = Field(1024, ge=256, le=1_048_576)  # address-space cap (RLIMIT_AS) of the child
    # process that reads each document (both queue backends)
    sheet_max_rows: int = Field(200_000, ge=1, le=10_000_000)  # rows of one XLSX sheet or CSV file
    sheet_max_cells: int = Field(2_000_000, ge=1, le=100_000_000)  # cells of one XLSX sheet or CSV file

    queue_backend: Literal["inline", "rq"] = "inline"
    inline_workers: int = Field(2, ge=1, le=64)
    redis_url: str | None = None
    # default: "redis" with ASSISTANT_REDIS_URL, else "sqlite" (a state file shared by the processes of
    # one machine: the API, the CLI, the bot); "memory" keeps them in each process (tests)
    cache_backend: Literal["memory", "sqlite", "redis"] = "sqlite"
    ratelimit_backend: Literal["memory", "sqlite", "redis"] = "sqlite"
    # real-time events (WebSocket /api/v1/events): "redis" with ASSISTANT_REDIS_URL (workers in other
    # processes publish), else "memory" (within the API process, whose in-process queue processes uploads)
    events_backend: Literal["memory", "redis"] = "memory"
    events_ping_seconds: float = Field(20, gt=0, le=600)  # WebSocket pings, so idle proxies keep the socket
    events_recheck_seconds: float = Field(60, gt=0, le=3600)  # an open socket's session, key and user checked
    # again this often (a ban or a logout closes it within this)
    state_path: Path | None = None  # the sqlite backends' file; default: $ASSISTANT_HOME/state.db
    redis_prefix: str = "assistant:"  # every Redis key, RQ queue and rate-limit counter starts with it
    cache_l1_ttl: int = Field(30, ge=0, le=3600)  # seconds an answer stays in a process's L1 (redis cache)
    job_retries: int = Field(3, ge=0, le=20)  # RQ retries of a job that failed on a transient error
    job_retry_delay: int = Field(10, ge=0, le=3600)  # first retry delay; doubled at each retry
    worker_class: Literal["simple", "fork"] = "simple"
    sweep_interval_seconds: float = Field(15, gt=0)
    recover_after_seconds: float = Field(300, ge=0)  # pending/processing this long without progress: re-enqueue
    # processing this long and its worker dead (no liveness key): re-enqueue (a live worker's job is left alone)
    recover_processing_after_seconds: float = Field(10, ge=0)
    retention_interval_seconds: float = Field(3600, gt=0)  # each worker applies the tiers' keep_*_days this often
    rollup_interval_seconds: float = Field(300, gt=0)  # each worker rolls closed days into analytics rollups
    # PostgreSQL month partitions (migration 0012): each worker creates the current month's and this many
    # next months' partitions (and moves rows out of DEFAULT) at start and this often
    partitions_ahead: int = Field(2, ge=0, le=36)
    partition_interval_seconds: float = Field(21600, gt=0)
    storage_backend: Literal["local"] = "local"
    storage_path: Path | None = None
    # encryption at rest of stored files: "id1:base64key,id2:base64key", the first is current (docs/production.md)
    storage_keys: SecretStr | None = None

    telegram_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    telegram_download_limit_mb: int = Field(20, ge=0)  # getFile limit of the Bot API server; 0: none (self-hosted)
    telegram_local_mode: bool = False  # a self-hosted Bot API server run with --local on this machine
    telegram_edit_interval: float = Field(1.0, ge=0, le=60)  # seconds between edits of a streamed answer
    telegram_webhook_url: str | None = None  # public base URL: the API then serves POST /telegram/webhook
    telegram_webhook_secret: SecretStr | None = None  # required with the URL; Telegram echoes it in a header
    jwt_secret: SecretStr | None = None
    access_token_ttl: int = Field(900, ge=30, le=86400)
    refresh_token_ttl: int = Field(30 * 86400, ge=300)
    registration: Literal["open", "closed"] = "open"
    cors_origins: str = ""  # comma-separated origins allowed to call the API from a browser; "*" for any
    gzip_min_bytes: int = Field(1000, ge=0)  # responses at least this large are gzipped; 0 turns gzip off
    access_log: bool = True
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    api_workers: int = Field(1, ge=1, le=64)  # uvicorn worker processes of `assistant serve`
    api_threads: int = Field(40, ge=1, le=200)  # threads per API process running sync routes (a question
    # waiting for the language model holds one; the database pool keeps 20 connections, up to 40)
    api_fast_threads: int = Field(4, ge=1, le=64)  # threads per API process for short reads (lists, lookups)

    # security at the HTTP boundary (docs/production.md#security)
    max_json_bytes: int = Field(1024 * 1024, ge=1024, le=64 * 1024 * 1024)  # a request body other than an upload
    metrics_token: SecretStr | None = None  # /metrics wants "Authorization: Bearer <token>" when set
    metrics_port: int | None = Field(None, ge=1, le=65535)  # /metrics on its own port, bound to 127.0.0.1
    metrics_host: str = "127.0.0.1"  # the address of every metrics port (0.0.0.0 in a container)
    worker_metrics_port: int | None = Field(None, ge=1, le=65535)  # `assistant worker`: /metrics, /healthz, /readyz
    bot_metrics_port: int | None = Field(None, ge=1, le=65535)  # `assistant bot`: /metrics, /healthz, /readyz
    api_docs: bool | None = None  # /docs, /redoc and /openapi.json; default: on in development, off in production
    public_url: str | None = None  # the API's public base URL; https turns HSTS on
    history_tokens: int = Field(1500, ge=0, le=100_000)  # of a thread's earlier turns given to a language model
    # login throttling: attempts admitted per sliding window of login_window_seconds (docs/security.md)
    login_attempts_per_account_address: int = Field(10, ge=1, le=100_000)  # one client, one account
    login_attempts_per_address: int = Field(100, ge=1, le=1_000_000)  # one client, any accounts
    login_attempts_per_account: int = Field(50, ge=1, le=1_000_000)  # one account from addresses it never
    # logged in from (an address that did is exempt, so strangers cannot lock the owner out)
    login_window_seconds: int = Field(900, ge=1, le=86_400)
    session_recheck_seconds: float = Field(5.0, ge=0, le=3600)  # how long an API process trusts that a
    # session is live before reading it again (a session ended in another process stops within this)
    # server timeouts of `assistant serve` (entrypoints/api/http_protocol.py; docs/security.md#server-timeouts)
    header_timeout_seconds: float = Field(10, gt=0, le=600)  # request line + headers complete within it, else 408
    max_header_bytes: int = Field(64 * 1024, ge=1024, le=16 * 1024 * 1024)  # request target + headers, else 431
    body_min_bytes_per_second: int = Field(16 * 1024, ge=0)  # a body slower over a whole window: 408; 0: off
    body_rate_window_seconds: float = Field(10, gt=0, le=600)  # the window that rate is measured over
    keep_alive_seconds: float = Field(5, gt=0, le=600)  # an idle kept-alive connection is closed after it

    # error tracking (config/error_tracking.py; docs/production.md#error-tracking): off without a DSN
    sentry_dsn: SecretStr | None = None
    sentry_environment: str | None = None  # default: ASSISTANT_ENV
    sentry_release: str | None = None  # default: ai-business-assistant@<package version>
    sentry_sample_rate: float = Field(1.0, ge=0, le=1)  # share of errors sent
    sentry_traces_sample_rate: float = Field(0.0, ge=0, le=1)  # share of requests and jobs traced

    log_format: Literal["console", "json"] | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    local_user_email: str = "local@localhost"
    tiers: dict[str, dict[str, Any]] = Field(default_factory=dict)
    chunk_tokens: int = Field(300, ge=32, le=8000)
    chunk_overlap: int = Field(40, ge=0, le=1000)
    context_tokens: int = Field(2500, ge=100, le=1_000_000)  # about 10% of a 25,000-token filing
    retrieval_candidates: int = Field(30, ge=1, le=500)  # passages of the index lookups re-ranked per question
    embedding_backend: Literal["static", "none"] = "static"  # "none": the lexical index alone
    answer_cache_ttl: int = Field(7 * 86400, ge=0)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        yaml_file = os.environ.get(f"{ENV_PREFIX}CONFIG_FILE", "assistant.yaml")
        return (init_settings, env_settings, dotenv_settings,
                YamlConfigSettingsSource(settings_cls, yaml_file=yaml_file), file_secret_settings)

    @field_validator("tiers")
    @classmethod
    def _tier_overrides(cls, value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Checked at start-up, not when a limit is first read (e.g. keep_documents_days must be >= 1)."""
        from domain.tiers import TierPolicy

        try:
            TierPolicy.with_overrides(value)
        except (TypeError, ValueError) as error:
            raise ValueError(f"not valid tier overrides: {error}") from None
        return value

    @field_validator("storage_keys")
    @classmethod
    def _keyring(cls, value: SecretStr | None) -> SecretStr | None:
        """Checked at start-up (the message names the entry, never the key material)."""
        if value is None or not value.get_secret_value().strip():
            return None
        from adapters.storage.keyring import Keyring

        Keyring.parse(value.get_secret_value())  # raises KeyringError, a ValueError: pydantic reports it
        return value

    @field_validator("llm_fallback", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("telegram_token", "sentry_dsn", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        """An empty token (e.g. ``${ASSISTANT_TELEGRAM_TOKEN:-}`` in compose) means no bot."""
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _check_combinations(self) -> Settings:
        if self.redis_url:  # ASSISTANT_REDIS_URL alone switches the runtime to Redis; explicit settings win
            for name, redis_backend in (("queue_backend", "rq"), ("cache_backend", "redis"),
                                        ("ratelimit_backend", "redis"), ("events_backend", "redis")):
                if name not in self.model_fields_set:
                    setattr(self, name, redis_backend)
        problems = {
            "llm_backend": "gemini" in self.llm_chain and not self.gemini_api_key
            and "llm.backend=gemini needs ASSISTANT_GEMINI_API_KEY",
            "openai": "openai" in self.llm_chain and not (self.openai_api_key or self.openai_base_url)
            and "llm.backend=openai needs ASSISTANT_OPENAI_API_KEY (or ASSISTANT_OPENAI_BASE_URL for a local server)",
            "transcription_backend": self.transcription_backend == "whisper"
            and not (self.whisper_api_key or self.openai_api_key or self.whisper_base_url or self.openai_base_url)
            and "transcription.backend=whisper needs ASSISTANT_WHISPER_API_KEY or ASSISTANT_OPENAI_API_KEY "
            "(or ASSISTANT_WHISPER_BASE_URL for a local server)",
            "queue_backend": self.queue_backend == "rq" and not self.redis_url
            and "queue.backend=rq needs ASSISTANT_REDIS_URL",
            "cache_backend": self.cache_backend == "redis" and not self.redis_url
            and "cache.backend=redis needs ASSISTANT_REDIS_URL",
            "ratelimit_backend": self.ratelimit_backend == "redis" and not self.redis_url
            and "ratelimit.backend=redis needs ASSISTANT_REDIS_URL",
            "events_backend": self.events_backend == "redis" and not self.redis_url
            and "events.backend=redis needs ASSISTANT_REDIS_URL",
            "overlap": self.chunk_overlap >= self.chunk_tokens
            and "ASSISTANT_CHUNK_OVERLAP must be smaller than ASSISTANT_CHUNK_TOKENS",
            "jwt": self.env == "production" and not self.jwt_secret
            and "ASSISTANT_JWT_SECRET is required when ASSISTANT_ENV=production",
            "jwt_length": self.jwt_secret is not None and len(self.jwt_secret.get_secret_value()) < 32
            and "ASSISTANT_JWT_SECRET must be at least 32 characters",
            "webhook_url": bool(self.telegram_webhook_url) and not _is_base_url(self.telegram_webhook_url)
            and "ASSISTANT_TELEGRAM_WEBHOOK_URL must be an http(s) URL without query, e.g. https://bot.example.com",
            "webhook_secret": bool(self.telegram_webhook_url) and not _WEBHOOK_SECRET.fullmatch(
                self.telegram_webhook_secret.get_secret_value() if self.telegram_webhook_secret else "")
            and "ASSISTANT_TELEGRAM_WEBHOOK_SECRET is required with ASSISTANT_TELEGRAM_WEBHOOK_URL: "
            "1-256 characters among A-Z, a-z, 0-9, _ and -",
        }
        for problem in problems.values():
            if problem:
                raise ValueError(problem)
        return self

    @property
    def llm_chain(self) -> list[str]:
        """The backend first, then the fallbacks, each once."""
        return list(dict.fromkeys([self.llm_backend, *self.llm_fallback]))

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.home / 'assistant.db').resolve()}"

    @property
    def is_embedded_database(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    def _login_limits(self) -> dict[str, AttemptLimit]:
        window = self.login_window_seconds
        return {"per_account_address": AttemptLimit(attempts=self.login_attempts_per_account_address, seconds=window),
                "per_address": AttemptLimit(attempts=self.login_attempts_per_address, seconds=window),
                "per_account": AttemptLimit(attempts=self.login_attempts_per_account, seconds=window)}

    def container_config(self) -> dict[str, Any]:
        """The nested configuration the dependency-injection container reads (keys named ``backend``)."""
        secret = lambda s: s.get_secret_value() if s else None  # noqa: E731
        return {
            "database": {"url": self.resolved_database_url, "row_security": self.database_row_security,
                         "row_role": self.database_row_role, "pool_size": self.database_pool_size,
                         "transaction_pooler": self.database_transaction_pooler, "read_url": self.database_read_url},
            "storage": {"backend": self.storage_backend, "path": self.storage_path or self.home / "files",
                        "keys": secret(self.storage_keys), "encryption": "on" if self.storage_keys else "off"},
            "queue": {"backend": self.queue_backend, "workers": self.inline_workers, "redis_url": self.redis_url},
            "redis": {"url": self.redis_url, "prefix": self.redis_prefix},
            "rq": {"retries": self.job_retries, "retry_delay": self.job_retry_delay,
                   "worker_class": self.worker_class},
            "cache": {"backend": self.cache_backend, "l1_ttl": self.cache_l1_ttl},
            "ratelimit": {"backend": self.ratelimit_backend},
            "events": {"backend": self.events_backend},
            "state": {"path": str(self.state_path or self.home / "state.db")},
            "llm": {"backend": self.llm_backend, "chain": self.llm_chain, "timeout": self.llm_timeout,
                    "max_retries": self.llm_max_retries, "retry_delay": self.llm_retry_delay,
                    "prices": self.llm_prices},
            "gemini": {"api_key": secret(self.gemini_api_key), "model": self.gemini_model,
                       "base_url": self.gemini_base_url, "api_version": self.gemini_api_version},
            "openai": {"api_key": secret(self.openai_api_key), "model": self.openai_model,
                       "base_url": self.openai_base_url},
            "speech": {"backend": self.transcription_backend, "model": self.whisper_model,
                       "base_url": self.whisper_base_url or self.openai_base_url,
                       "api_key": secret(self.whisper_api_key or self.openai_api_key),
                       "language": self.transcription_language},
            "ocr": {"languages": self.ocr_languages, "max_pixels": self.ocr_max_pixels,
                    "max_image_pixels": self.pdf_max_image_pixels},
            "extraction": {"memory_mb": self.worker_memory_mb, "max_rows": self.sheet_max_rows,
                           "max_cells": self.sheet_max_cells},
            "tiers": self.tiers,
            "auth": {"jwt_secret": secret(self.jwt_secret), "access_ttl": self.access_token_ttl,
                     "refresh_ttl": self.refresh_token_ttl, "registration": self.registration,
                     "session_recheck_seconds": self.session_recheck_seconds, "login": self._login_limits()},
            "telegram": {"token": secret(self.telegram_token), "base_url": self.telegram_api_base_url.rstrip("/"),
                         "notifier": "telegram" if self.telegram_token else "logging"},
            "chunking": {"budget": self.chunk_tokens, "overlap": self.chunk_overlap},
            "retrieval": {"context_tokens": self.context_tokens, "candidates": self.retrieval_candidates,
                          "cache_ttl": self.answer_cache_ttl, "history_tokens": self.history_tokens},
            "embedding": {"backend": self.embedding_backend},
        }


def _is_base_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and not parts.query and not parts.fragment


def load_settings(**overrides: Any) -> Settings:
    """Settings, or ConfigError with one line naming the first bad setting."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{ENV_PREFIX}{field.upper()}: {message}" if field else message) from None
