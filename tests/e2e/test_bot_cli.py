"""``assistant bot`` as a subprocess: long polling against the fake Bot API server."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.e2e.bot_api_server import FakeBotApi
from tests.e2e.conftest import ASSISTANT, Cli, clean_env, stop


def test_without_a_token_the_command_names_the_setting(cli: Cli) -> None:
    result = cli("bot")
    assert result.code == 78 and "ASSISTANT_TELEGRAM_TOKEN" in result.err and "Traceback" not in result.err
    quiet = cli("bot", "--if-configured")  # how `make run` starts it beside the API
    assert (quiet.code, quiet.err) == (0, "")


def test_long_polling_registers_commands_and_answers_start(api: FakeBotApi, tmp_path: Path) -> None:
    api.updates.append({"update_id": 1, "message": {
        "message_id": 1, "date": int(time.time()), "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        "from": {"id": 9, "is_bot": False, "first_name": "Eve", "language_code": "ru"},
        "chat": {"id": 9, "type": "private"}}})
    env = {**clean_env(tmp_path), "ASSISTANT_TELEGRAM_TOKEN": api.token, "ASSISTANT_TELEGRAM_API_BASE_URL": api.url}
    process = subprocess.Popen([str(ASSISTANT), "bot"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    try:
        api.wait_for(lambda text: text.startswith("👋 Здравствуйте, Eve!"), timeout=60)
        assert {c.params.get("language_code") for c in api.of("setMyCommands")} == {None, "ru"}
    finally:
        err = stop(process)
    assert "Traceback" not in err, err
