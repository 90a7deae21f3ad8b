"""``assistant export THREAD``: a thread named by a prefix of its id, written in each format (the
DOCX and PDF opened again), to a file of its own name, to --output, or to stdout; an unknown
format and an unknown thread are errors with their exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import docx
import pypdfium2

from tests.e2e.conftest import Cli

START_THREAD = """from entrypoints.cli.state import acting_user, container
print(container().threads().create(acting_user(None).id, whole_library=True).id)
"""


def start_thread(cli: Cli) -> str:
    """A library thread of the local user (the CLI starts threads in ``chat``, which is interactive)."""
    done = subprocess.run([sys.executable, "-c", START_THREAD], cwd=cli.home, env=cli.env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_a_thread_is_exported_by_prefix_in_every_format(cli: Cli, notes: Path) -> None:
    assert cli("ingest", str(notes)).code == 0
    thread = start_thread(cli)
    for question in ("When are invoices payable?", "And what is the late fee?"):
        asked = cli("ask", "--thread", thread[:8], question)
        assert asked.code == 0, asked.err

    made = cli("export", thread[:8])
    assert made.code == 0, made.err
    written = cli.home / made.out.strip()
    assert written.suffix == ".md" and thread[:8] in written.name
    markdown = written.read_text(encoding="utf-8")
    assert "When are invoices payable?" in markdown and "[^1-1]: [1] " in markdown

    data = json.loads(cli("export", thread, "--format", "json", "--output", "-").out)
    turns = data["threads"][0]["turns"]
    assert [t["question"] for t in turns] == ["When are invoices payable?", "And what is the late fee?"]
    citations = [c for t in turns for c in t["citations"]]
    assert citations and all(c["label"] for c in citations)

    for format in ("docx", "pdf"):
        target = cli.home / f"out.{format}"
        assert cli("export", thread[:8], "-f", format, "-o", str(target)).code == 0
        if format == "docx":
            text = "\n".join(p.text for p in docx.Document(io.BytesIO(target.read_bytes())).paragraphs)
        else:
            pdf = pypdfium2.PdfDocument(target.read_bytes())
            text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
            pdf.close()
        text = " ".join(text.split())
        for citation in citations:
            assert f"[{citation['number']}] {citation['label']}" in text, (format, citation)

    unknown = cli("export", thread[:8], "--format", "txt")
    assert unknown.code == 10 and "md, docx, pdf, json" in unknown.err
    missing = cli("export", "ffffffff")
    assert missing.code != 0 and "thread_not_found" in missing.err
