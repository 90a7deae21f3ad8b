"""What showing a citation costs: each read of the citation viewer (adapters.extractors.views) on
corpus files, in this process (the baseline) and as the API runs it, in a child process under the
memory cap (adapters.extractors.child_call). Prints the median wall time and CPU time of each, the
child's own CPU measured inside it (a fork-server child is not this process's child, so its CPU is
not in our rusage), and what the isolation adds.

Run: .venv/bin/python -m bench.citation_views [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from adapters.extractors.child_call import call_in_child, timed
from adapters.extractors.pdf_render import PixelCaps
from adapters.extractors.sheet_caps import SheetCaps
from adapters.extractors.views import docx_section, pdf_page, sheet_range
from tests.corpus import corpus_path

GAMING = "Gaming revenue for the third quarter of fiscal year 2024 was $2.86 billion, up 81% from a year ago"


def _cases() -> list[tuple[str, Callable[..., Any], tuple]]:
    nvda = corpus_path("pdf/sec-10q/2023-Q3-NVDA.pdf").read_bytes()
    enormous = corpus_path("hostile/enormous.pdf").read_bytes()
    taxes = corpus_path("xlsx/AverageTaxRates.xlsx").read_bytes()
    procurement = corpus_path("docx/bug65649.docx").read_bytes()
    caps = PixelCaps()
    return [
        ("10-Q page 28: quote boxes", pdf_page.pdf_pages, (nvda, {28: GAMING})),
        ("10-Q page 28: PNG 1200 px", pdf_page.page_png, (nvda, 28, 1200, caps)),
        ("enormous.pdf: PNG 1200 px", pdf_page.page_png, (enormous, 1, 1200, caps)),
        ("AverageTaxRates: A5:M24", sheet_range.sheet_range, (taxes, "Avgtxfull", "A5:M24", [7], SheetCaps())),
        ("bug65649.docx (731 blocks): section", docx_section.section, (procurement, [300], "")),
    ]


def run(repeat: int) -> None:
    print(f"{'read':38} {'in process: wall / CPU ms':>27} {'in child: wall ms':>18} {'child CPU ms':>13}"
          f" {'added ms':>9}")
    for name, function, args in _cases():
        local_wall, local_cpu, child_wall, child_cpu = [], [], [], []
        call_in_child(timed, function, *args, memory_mb=1024, seconds=60, what=name)  # imports, fork server
        for _ in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            function(*args)
            local_wall.append(time.perf_counter() - wall)
            local_cpu.append(time.process_time() - cpu)
            wall = time.perf_counter()
            _, spent = call_in_child(timed, function, *args, memory_mb=1024, seconds=60, what=name)
            child_wall.append(time.perf_counter() - wall)
            child_cpu.append(spent)
        ms = [statistics.median(v) * 1000 for v in (local_wall, local_cpu, child_wall, child_cpu)]
        print(f"{name:38} {ms[0]:>16.1f} / {ms[1]:>7.1f} {ms[2]:>18.1f} {ms[3]:>13.1f} {ms[2] - ms[0]:>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    run(parser.parse_args().repeat)


if __name__ == "__main__":
    main()
