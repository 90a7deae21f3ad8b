"""Settings: environment > .env > YAML > defaults; one clear line for a bad configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.bootstrap import build_container
from config.errors import ConfigError
from config.settings import load_settings


@pytest.fixture(autouse=True)
def isolated(isolated_settings: Path) -> Path:
    return isolated_settings


def test_defaults_are_the_embedded_profile(isolated: Path) -> None:
    settings = load_settings()
    assert (settings.llm_backend, settings.queue_backend, settings.host, settings.port) == (
        "offline", "inline", "127.0.0.1", 8000)
    assert settings.resolved_database_url == f"sqlite:///{isolated / 'var' / 'assistant.db'}"


def test_yaml_then_dotenv_then_environment(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (isolated / "assistant.yaml").write_text("port: 8100\nhost: 0.0.0.0\ntiers:\n  free:\n    per_day: 50\n")
    assert load_settings().port == 8100 and load_settings().tiers == {"free": {"per_day": 50}}
    (isolated / ".env").write_text("ASSISTANT_PORT=8200\n")
    assert load_settings().port == 8200 and load_settings().host == "0.0.0.0"
    monkeypatch.setenv("ASSISTANT_PORT", "8300")
    assert load_settings().port == 8300


def test_another_yaml_file_can_be_named(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (isolated / "prod.yaml").write_text("database_url: postgresql+psycopg://db/assistant\n")
    monkeypatch.setenv("ASSISTANT_CONFIG_FILE", str(isolated / "prod.yaml"))
    assert load_settings().resolved_database_url == "postgresql+psycopg://db/assistant"


@pytest.mark.parametrize(("env", "named"), [
    ({"ASSISTANT_LLM_BACKEND": "gemini"}, "ASSISTANT_GEMINI_API_KEY"),
    ({"ASSISTANT_LLM_BACKEND": "openai"}, "ASSISTANT_OPENAI_API_KEY"),
    ({"ASSISTANT_QUEUE_BACKEND": "rq"}, "ASSISTANT_REDIS_URL"),
    ({"ASSISTANT_ENV": "production"}, "ASSISTANT_JWT_SECRET"),
    ({"ASSISTANT_LLM_BACKEND": "claude"}, "ASSISTANT_LLM_BACKEND"),
    ({"ASSISTANT_PORT": "70000"}, "ASSISTANT_PORT"),
    ({"ASSISTANT_CHUNK_TOKENS": "100", "ASSISTANT_CHUNK_OVERLAP": "100"}, "ASSISTANT_CHUNK_OVERLAP"),
])
def test_a_bad_configuration_is_one_line_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], named: str
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert named in error.value.message and "\n" not in error.value.message


def test_the_container_serves_the_use_cases_on_the_embedded_profile(isolated: Path) -> None:
    container = build_container()
    assert (isolated / "var" / "assistant.db").is_file()  # migrated on first start
    assert [type(m.inner).__name__ for m in container.language_model().models] == ["OfflineLanguageModel"]
    assert type(container.queue()).__name__ == "InlineJobQueue"
    assert container.tiers().for_tier("free").per_minute == 10
    container.queue().shutdown()
    container.engine().dispose()


def test_the_language_model_chain_comes_from_the_backend_and_the_fallbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_LLM_BACKEND", "gemini")
    monkeypatch.setenv("ASSISTANT_GEMINI_API_KEY", "k")
    monkeypatch.setenv("ASSISTANT_GEMINI_BASE_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("ASSISTANT_LLM_FALLBACK", "openai, offline")
    monkeypatch.setenv("ASSISTANT_OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("ASSISTANT_LLM_MAX_RETRIES", "4")
    monkeypatch.setenv("ASSISTANT_LLM_PRICES", '{"gpt-4o-mini": {"input": 1, "output": 2}}')
    container = build_container()
    chain = container.language_model()
    assert [type(m.inner).__name__ for m in chain.models] == [
        "GeminiLanguageModel", "OpenAILanguageModel", "OfflineLanguageModel"]
    assert (chain.name, chain.max_retries) == ("gemini-2.5-flash", 4)
    assert container.query_document().prices.cost("gpt-4o-mini", 10**6, 10**6) == 3.0
    container.engine().dispose()


@pytest.mark.parametrize(("env", "message"), [
    ({"ASSISTANT_LLM_FALLBACK": "gemini"}, "ASSISTANT_GEMINI_API_KEY"),
    ({"ASSISTANT_LLM_FALLBACK": "openai"}, "ASSISTANT_OPENAI_API_KEY"),
    ({"ASSISTANT_LLM_FALLBACK": "claude"}, "ASSISTANT_LLM_FALLBACK"),
])
def test_a_fallback_backend_is_validated_like_the_backend(monkeypatch: pytest.MonkeyPatch, env: dict[str, str],
                                                          message: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        build_container()


def test_tier_overrides_reach_the_use_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_TIERS", '{"free": {"per_minute": 3, "max_documents": 2}}')
    container = build_container()
    limits = container.upload_document().tiers.for_tier("free")
    assert (limits.per_minute, limits.max_documents, limits.per_hour) == (3, 2, 100)
    container.queue().shutdown()
    container.engine().dispose()


def test_an_empty_telegram_token_means_no_bot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_TELEGRAM_TOKEN", "")  # compose passes ${ASSISTANT_TELEGRAM_TOKEN:-}
    assert load_settings().telegram_token is None
    monkeypatch.setenv("ASSISTANT_TELEGRAM_TOKEN", "123:abc")
    assert load_settings().telegram_token.get_secret_value() == "123:abc"
