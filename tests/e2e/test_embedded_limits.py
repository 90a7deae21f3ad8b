"""The free tier's minute holds across CLI processes on the embedded profile (no Redis): the
counters and the answer cache live in the state file ($ASSISTANT_HOME/state.db) every process
shares, so the eleventh `assistant ask` of a minute is refused however the ten before it ran."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from entrypoints.cli.errors import EXIT_CODES as EXIT
from tests.e2e.conftest import Cli


def _early_in_a_minute() -> None:
    """The ten questions and the refused one must fall in one aligned minute."""
    second = datetime.now(UTC).second
    if second > 35:
        time.sleep(61 - second)


def test_eleven_asks_from_separate_processes_meet_the_minute_limit(cli: Cli, notes: Path) -> None:
    [doc] = cli("ingest", str(notes), "--json").json()
    _early_in_a_minute()
    with ThreadPoolExecutor(5) as pool:  # five processes at a time, the same question: cached after the first
        runs = list(pool.map(lambda _: cli("ask", doc["id"], "Within how many days are invoices payable?",
                                           "--json"), range(10)))
    assert [run.code for run in runs] == [0] * 10, [run.err for run in runs if run.code]
    assert sum(run.json()["cached"] for run in runs) >= 1  # the answer cache is shared too
    refused = cli("ask", doc["id"], "When does the Berlin office open?")
    assert refused.code == EXIT["rate_limited"] and "minute" in refused.err, refused.err
    usage = cli("usage", "--json").json()
    minute = next(w for w in usage["windows"] if w["window"] == "minute")
    assert (minute["used"], minute["remaining"]) == (10, 0)
    assert (Path(cli.env["ASSISTANT_HOME"]) / "state.db").is_file()
