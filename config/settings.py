"""Settings from ASSISTANT_* environment variables, a .env file and an optional YAML file.

Precedence: environment > .env > YAML file (ASSISTANT_CONFIG_FILE, default ./assistant.yaml when
present) > defaults. Keys in YAML are the setting names without the prefix, in lower case."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, YamlConfigSettingsSource

from config.errors import ConfigError

ENV_PREFIX = "ASSISTANT_"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore",
                                      case_sensitive=False, validate_default=True)

    env: Literal["development", "production"] = "development"
    home: Path = Path("./var")
    database_url: str | None = None
    database_auto_migrate: bool | None = None

    llm_backend: Literal["offline", "gemini", "openai"] = "offline"
    gemini_api_key: SecretStr | None = None
    gemini_model: str = "gemini-2.5-flash"
    gemini_base_url: str | None = None
    openai_api_key: SecretStr | None = None
    openai_model: str = "gpt-4o-mini"
    openai_base_url: str | None = None

    queue_backend: Literal["inline", "rq"] = "inline"
    inline_workers: int = Field(2, ge=1, le=64)
    redis_url: str | None = None
    cache_backend: Literal["memory"] = "memory"
    ratelimit_backend: Literal["memory"] = "memory"
    storage_backend: Literal["local"] = "local"
    storage_path: Path | None = None

    telegram_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    jwt_secret: SecretStr | None = None
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)

    log_format: Literal["console", "json"] | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    local_user_email: str = "local@localhost"
    tiers: dict[str, dict[str, Any]] = Field(default_factory=dict)
    chunk_tokens: int = Field(300, ge=32, le=8000)
    chunk_overlap: int = Field(40, ge=0, le=1000)
    context_tokens: int = Field(3000, ge=100, le=1_000_000)
    retrieval_top_k: int = Field(8, ge=1, le=100)
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

    @model_validator(mode="after")
    def _check_combinations(self) -> Settings:
        problems = {
            "llm_backend": self.llm_backend == "gemini" and not self.gemini_api_key
            and "llm.backend=gemini needs ASSISTANT_GEMINI_API_KEY",
            "openai": self.llm_backend == "openai" and not (self.openai_api_key or self.openai_base_url)
            and "llm.backend=openai needs ASSISTANT_OPENAI_API_KEY (or ASSISTANT_OPENAI_BASE_URL for a local server)",
            "queue_backend": self.queue_backend == "rq" and not self.redis_url
            and "queue.backend=rq needs ASSISTANT_REDIS_URL",
            "overlap": self.chunk_overlap >= self.chunk_tokens
            and "ASSISTANT_CHUNK_OVERLAP must be smaller than ASSISTANT_CHUNK_TOKENS",
            "jwt": self.env == "production" and not self.jwt_secret
            and "ASSISTANT_JWT_SECRET is required when ASSISTANT_ENV=production",
        }
        for problem in problems.values():
            if problem:
                raise ValueError(problem)
        return self

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.home / 'assistant.db').resolve()}"

    @property
    def is_embedded_database(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    def container_config(self) -> dict[str, Any]:
        """The nested configuration the dependency-injection container reads (keys named ``backend``)."""
        secret = lambda s: s.get_secret_value() if s else None  # noqa: E731
        return {
            "database": {"url": self.resolved_database_url},
            "storage": {"backend": self.storage_backend, "path": self.storage_path or self.home / "files"},
            "queue": {"backend": self.queue_backend, "workers": self.inline_workers, "redis_url": self.redis_url},
            "cache": {"backend": self.cache_backend},
            "ratelimit": {"backend": self.ratelimit_backend},
            "llm": {"backend": self.llm_backend},
            "gemini": {"api_key": secret(self.gemini_api_key), "model": self.gemini_model,
                       "base_url": self.gemini_base_url},
            "openai": {"api_key": secret(self.openai_api_key), "model": self.openai_model,
                       "base_url": self.openai_base_url},
            "tiers": self.tiers,
            "chunking": {"budget": self.chunk_tokens, "overlap": self.chunk_overlap},
            "retrieval": {"context_tokens": self.context_tokens, "top_k": self.retrieval_top_k,
                          "cache_ttl": self.answer_cache_ttl},
        }


def load_settings(**overrides: Any) -> Settings:
    """Settings, or ConfigError with one line naming the first bad setting."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{ENV_PREFIX}{field.upper()}: {message}" if field else message) from None
