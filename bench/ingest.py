"""Ingestion throughput: the whole pipeline vs pdfplumber-only text extraction, pages per second.

Pipeline = what a worker does for an uploaded PDF: UploadDocument (sniff the type from the bytes,
store the blob, record the document in SQLite) then ProcessDocument (pypdfium2 text per page,
tables read from the words' geometry and the ruled grids, OCR of textless pages, normalise,
chunk, index for search: Snowball terms, the boilerplate flag and the embedding model's vectors,
store the chunks and the index), built by the real container (embedded profile, a temporary
ASSISTANT_HOME). The embedding model is loaded before the clock starts, as a worker loads it at
start-up; the CPU time spent embedding is printed apart (and included in the pipeline's). The
extraction's fork server (adapters/extractors/child_process.py) is started before the clock too, as
a worker has it running after its first document; the CPU of the extraction child it forks for the
document (and of Tesseract under it) is counted in the pipeline's CPU: the fork server's reaped
children's CPU, read from /proc before and after. A small Markdown document is processed first,
before the clock: what a worker pays once, on its first document (SQL statements compiled, the
chunking and indexing code's first calls), is not counted per document.
Baseline = ``pdfplumber.open(f).pages[i].extract_text()`` on every page of the same files, in
the same run. Each measurement runs in a fresh child process so its peak RSS is its own. Rates are
printed from wall-clock time and from the process's CPU time (user + system): on a shared machine
the CPU-time ratio is the steadier figure.

Run: .venv/bin/python -m bench.ingest [FILE.pdf ...]
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf"
DEFAULT_FILES = [CORPUS / "text" / "GeoTopo-komprimiert.pdf",
                 *sorted((CORPUS / "sec-10q").glob("*.pdf"))]


def cpu_seconds() -> float:
    """CPU of this process and of the children it waited for (Tesseract runs as one for OCR pages)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def reaped_cpu_seconds(pid: int) -> float:
    """CPU of the children process ``pid`` has waited for (/proc/PID/stat: cutime + cstime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def _reaped(pid: int, timeout: float = 5.0) -> None:
    """Until the fork server has no child left (it reaps a child shortly after the child answers)."""
    deadline = time.monotonic() + timeout
    children = Path(f"/proc/{pid}/task/{pid}/children")
    while children.exists() and children.read_text().strip() and time.monotonic() < deadline:
        time.sleep(0.01)


def pipeline(path: Path) -> dict:
    from dependency_injector import providers

    from adapters.extractors.child_process import start_fork_server

    from application.use_cases.upload_document import UploadDocumentCommand
    from config.bootstrap import build_container, local_user
    from config.container import warm_embedder
    from tests.fakes import FakeQueue

    with TemporaryDirectory() as home:
        container = build_container(home=Path(home), log_level="WARNING")
        container.queue.override(providers.Object(FakeQueue()))  # processed in-line below
        user = local_user(container)
        warm_embedder(container)
        server = start_fork_server()
        warm = container.upload_document()(UploadDocumentCommand(  # a worker's steady state: see the docstring
            user_id=user.id, filename="warm-up.md", data=b"# Warm-up\n\nA first document, processed before the clock.\n"))
        container.process_document()(warm.document.id)
        embedding = _timed(container.embedder())
        started, cpu, extraction = time.perf_counter(), cpu_seconds(), reaped_cpu_seconds(server)
        document = container.upload_document()(UploadDocumentCommand(
            user_id=user.id, filename=path.name, data=path.read_bytes())).document
        container.process_document()(document.id)
        elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        _reaped(server)
        extraction = reaped_cpu_seconds(server) - extraction
        cpu += extraction
        with container.uow() as uow:
            stored = uow.documents.get(document.id)
            chunks = uow.chunks.count_for_document(document.id)
            tables = sum("|---|" in c.text for c in uow.chunks.list_for_document(document.id))
        return {"pages": stored.page_count, "seconds": elapsed, "cpu": cpu, "chunks": chunks, "table_chunks": tables,
                "status": stored.status.value, "embed_cpu": embedding[0] if embedding else 0.0,
                "extraction_cpu": extraction}


def _timed(embedder):  # noqa: ANN001, ANN202 - a list holding the CPU seconds its embed() calls take
    if embedder is None:
        return None
    spent = [0.0]
    embed = embedder.embed

    def timed(texts):  # noqa: ANN001, ANN202
        start = time.process_time()
        try:
            return embed(texts)
        finally:
            spent[0] += time.process_time() - start

    embedder.embed = timed
    return spent


def plumber(path: Path) -> dict:
    import pdfplumber

    started, cpu = time.perf_counter(), cpu_seconds()
    with pdfplumber.open(path) as pdf:
        pages = 0
        for page in pdf.pages:
            page.extract_text()
            page.close()
            pages += 1
    return {"pages": pages, "seconds": time.perf_counter() - started, "cpu": cpu_seconds() - cpu}


def _child(function, path: Path, results: mp.Queue) -> None:  # noqa: ANN001
    out = function(path)
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.put(out)


def measure(function, path: Path) -> dict:  # noqa: ANN001
    results: mp.Queue = mp.get_context("fork").Queue()
    child = mp.get_context("fork").Process(target=_child, args=(function, path, results))
    child.start()
    out = results.get()
    child.join()
    return out


def main(argv: list[str]) -> None:
    files = [Path(a) for a in argv] or DEFAULT_FILES
    print(f"{'file':<26}{'pages':>6}{'pipeline p/s':>13}{'pdfplumber p/s':>15}{'ratio':>7}"
          f"{'cpu ratio':>10}{'tables':>7}{'embed cpu s':>12}{'child cpu s':>12}{'peak MiB (pipe/plumb)':>23}")
    totals = dict.fromkeys(("pages", "pipe", "plumb", "pipe_cpu", "plumb_cpu", "embed", "child"), 0.0)
    for path in files:
        ours, base = measure(pipeline, path), measure(plumber, path)
        rate, base_rate = ours["pages"] / ours["seconds"], base["pages"] / base["seconds"]
        cpu_ratio = base["cpu"] / ours["cpu"]
        for key, value in (("pages", ours["pages"]), ("pipe", ours["seconds"]), ("plumb", base["seconds"]),
                           ("pipe_cpu", ours["cpu"]), ("plumb_cpu", base["cpu"]), ("embed", ours["embed_cpu"]),
                           ("child", ours["extraction_cpu"])):
            totals[key] += value
        print(f"{path.name:<26}{ours['pages']:>6}{rate:>13.1f}{base_rate:>15.1f}{rate / base_rate:>6.1f}x"
              f"{cpu_ratio:>9.1f}x{ours['table_chunks']:>7}{ours['embed_cpu']:>12.3f}{ours['extraction_cpu']:>12.2f}"
              f"{ours['peak_mib']:>12.0f} / {base['peak_mib']:.0f}")
    rate, base_rate = totals["pages"] / totals["pipe"], totals["pages"] / totals["plumb"]
    print(f"{'all':<26}{totals['pages']:>6.0f}{rate:>13.1f}{base_rate:>15.1f}{rate / base_rate:>6.1f}x"
          f"{totals['plumb_cpu'] / totals['pipe_cpu']:>9.1f}x{'':>7}{totals['embed']:>12.3f}{totals['child']:>12.2f}"
          f"   (target: >= 15x with indexing and embeddings, tables still found; CPU includes the extraction child's)")


if __name__ == "__main__":
    main(sys.argv[1:])
