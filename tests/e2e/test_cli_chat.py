"""``assistant chat`` in a pseudo-terminal (pexpect), ``assistant history`` and ``ask --thread``
as subprocesses (issue 14, item 5): a follow-up is understood because it is asked in the thread."""

from __future__ import annotations

import re

import pexpect
import pytest

from tests.e2e.conftest import ASSISTANT, STOCK_CSV, Cli

PROMPT = "> "


@pytest.fixture
def stock(cli: Cli) -> str:
    path = cli.home / "stock.csv"
    path.write_text(STOCK_CSV, encoding="utf-8")
    done = cli("ingest", str(path))
    assert done.code == 0, done.err
    return path.name


def spawn(cli: Cli, *args: str) -> pexpect.spawn:
    child = pexpect.spawn(str(ASSISTANT), ["chat", *args], cwd=str(cli.home), env=cli.env, encoding="utf-8",
                          timeout=60, dimensions=(24, 80))
    child.expect_exact("Ctrl-D ends.")
    child.expect_exact(PROMPT)
    return child


def say(child: pexpect.spawn, line: str) -> str:
    """Type ``line`` and Enter; what the chat printed before its next prompt (the echo left out)."""
    child.sendline(line)
    child.expect_exact(PROMPT)
    return child.before.replace("\r\n", "\n").split(line, 1)[-1]


def test_a_chat_with_a_follow_up_its_sources_and_its_thread_continued(cli: Cli, stock: str) -> None:
    child = spawn(cli, stock)
    first = say(child, "How many units of KX-22 are at the Tallinn depot?")
    assert "340" in first and "410" not in first.split("Sources:")[0]
    assert re.search(r"\[1\] line \d+", first), first
    follow_up = say(child, "And how many at the Riga depot?")
    assert "410" in follow_up.split("Sources:")[0], follow_up  # "KX-22" came from the question before
    passage = say(child, "/sources 1")
    assert "KX-22; Depot: Riga; Units: 410" in passage
    assert "no source 7" in say(child, "/sources 7")
    child.sendline("/exit")
    child.expect_exact("continues it.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")

    listed = cli("history", "--json")
    assert listed.code == 0, listed.err
    [thread] = listed.json()
    assert thread["turns"] == 2 and thread["scope"] == "document"
    assert thread["title"] == "How many units of KX-22 are at the Tallinn depot?"

    table = cli("history", env={"COLUMNS": "80"})
    assert thread["id"][:8] in table.out and max(len(line) for line in table.out.splitlines()) <= 80

    more = cli("ask", "--thread", thread["id"][:6], "--json", "And KX-19 there?")
    assert more.code == 0, more.err
    assert "75" in more.json()["answer"] and more.json()["thread_id"] == thread["id"]
    assert cli("history", "--json").json()[0]["turns"] == 3
    assert (history := cli.home / "var" / "chat_history").exists() and "/sources 1" in history.read_text()


def test_new_ctrl_d_and_a_deleted_document_without_a_traceback(cli: Cli, stock: str) -> None:
    child = spawn(cli, "--library")
    assert "340" in say(child, "How many units of KX-22 are at the Tallinn depot?")
    assert "New conversation about your whole library." in say(child, "/new")
    say(child, "How many units of KX-19 are at the Riga depot?")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert [t["turns"] for t in cli("history", "--json").json()] == [1, 1]

    child = spawn(cli, stock)
    assert "340" in say(child, "How many units of KX-22 are at the Tallinn depot?")
    assert cli("delete", stock).code == 0
    gone = say(child, "And at the Riga depot?")
    assert "was deleted" in gone and "/new" in gone and "Traceback" not in gone
    assert "were deleted" in say(child, "/new")
    child.sendline("/exit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_ask_thread_errors_are_one_line_and_an_exit_code(cli: Cli, stock: str) -> None:
    unknown = cli("ask", "--thread", "abcd1234", "Anything?")
    assert unknown.code == 1 and unknown.err.startswith("error: No thread matches") and "Traceback" not in unknown.err
    both = cli("ask", "--thread", "abcd1234", "--library", "Anything?")
    assert both.code == 10
    assert cli("history").out.startswith("No conversations yet")


def test_chat_asks_which_document_when_none_is_named(cli: Cli, stock: str) -> None:
    child = pexpect.spawn(str(ASSISTANT), ["chat"], cwd=str(cli.home), env=cli.env, encoding="utf-8", timeout=60)
    child.expect_exact("Which document?")
    child.expect_exact("Document [stock.csv]:")
    child.sendline("")
    child.expect_exact("Chat about stock.csv.")
    child.expect_exact(PROMPT)
    child.sendline("/exit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_chat_and_history_help_load_no_framework_driver_or_sdk(cli: Cli) -> None:
    from tests.e2e.test_cli_startup import HEAVY, imported

    for args in (("chat", "--help"), ("history", "--help")):
        assert not imported(cli, *args) & HEAVY, args


def test_chat_thread_continues_an_earlier_thread(cli: Cli, stock: str) -> None:
    child = spawn(cli, stock)
    say(child, "How many units of KX-22 are at the Tallinn depot?")
    child.sendline("/exit")
    child.expect(pexpect.EOF)
    [thread] = cli("history", "--json").json()
    child = spawn(cli, "--thread", thread["id"][:8])
    assert "410" in say(child, "And at the Riga depot?").split("Sources:")[0]
    child.sendline("/exit")
    child.expect(pexpect.EOF)
    assert cli("history", "--json").json()[0]["turns"] == 2
