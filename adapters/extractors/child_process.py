"""Extraction under a memory ceiling: each document is read in a child process whose address space
is capped with RLIMIT_AS, so no upload can take the worker (or the API process running the inline
queue) above ``memory_mb``; the processes the extractor starts (Tesseract) inherit the cap.

Children are forked by multiprocessing's fork server, a clean single-threaded process started once
that has the extractor modules imported already: a child costs milliseconds, not an interpreter
start, and never inherits the caller's threads, locks or database connections. The wrapped
extractor is pickled to the child with the file's bytes; progress reports and the result (or the
domain error) come back as pickles over a pipe.

A child that raises MemoryError, is killed (the kernel's OOM killer, a crash in a C library) or
exits without an answer is a FileTooComplex with a plain message; one that outlives the document's
time cap is killed with everything it started (its own process group) and is a FileTooComplex too.
Either way the caller marks the document failed and goes on with the next one."""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.forkserver
import os
import resource
import signal
import sys
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

import structlog

from application.errors import TransientError
from application.ports.extractor import Budget, Extraction, ExtractionLimits, Extractor, ProgressCallback
from domain.documents import DocumentKind
from domain.errors import DomainError, FileTooComplex

log = structlog.get_logger(__name__)

PRELOAD = ["adapters.extractors.pdf", "adapters.extractors.xlsx", "adapters.extractors.docx",
           "adapters.extractors.text", "adapters.extractors.image"]
_GRACE_SECONDS = 5.0  # past the document's time cap before the parent kills a child that did not stop itself
_POLL_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1
_CONTEXT_LOCK = threading.Lock()
_context: Any = None


def _fork_server() -> Any:
    """The fork server context, its preload list set once per process (the server starts on first use)."""
    global _context
    with _CONTEXT_LOCK:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _context = context
        return _context


def start_fork_server() -> int:
    """Start the fork server now (it starts on the first document otherwise) and return its pid."""
    _fork_server()
    multiprocessing.forkserver.ensure_running()
    return multiprocessing.forkserver._forkserver._forkserver_pid  # noqa: SLF001


class ChildProcessExtractor:
    """Implements application.ports.extractor.Extractor by running ``inner`` in a capped child process."""

    def __init__(self, inner: Extractor, memory_mb: int) -> None:
        self.inner = inner
        self.memory_mb = memory_mb
        self.kinds = inner.kinds
        self.name = inner.name
        self.version = inner.version

    def __getattr__(self, name: str) -> Any:  # unlock() and the like: the inner extractor's own
        if name == "inner":  # not set yet (copy, unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.inner, name)

    def extract(self, data: bytes, *, kind: DocumentKind, progress: ProgressCallback | None = None,
                budget: Budget | None = None) -> Extraction:
        budget = budget or Budget()
        budget.check_time()
        limits = ExtractionLimits(max_pages=budget.limits.max_pages, max_characters=budget.limits.max_characters,
                                  max_seconds=budget.remaining_seconds())
        context = _fork_server()
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_run, args=(self.inner, data, kind, limits, self.memory_mb << 20, sender),
                                name=f"extract-{self.name}", daemon=True)
        try:
            _start(child)
            sender.close()
            return self._answer(child, receiver, progress, budget)
        finally:
            receiver.close()
            _kill(child)

    def _answer(self, child: Any, receiver: Connection, progress: ProgressCallback | None,
                budget: Budget) -> Extraction:
        kill_at = time.monotonic() + budget.remaining_seconds() + _GRACE_SECONDS
        while True:
            if time.monotonic() >= kill_at:
                log.warning("extraction_child_overran", pid=child.pid)
                budget.check_time()  # raises FileTooComplex (time): the finally kills the child
            if not receiver.poll(_POLL_SECONDS):
                if not child.is_alive() and not receiver.poll(0):
                    return self._died(child)
                continue
            try:
                message = receiver.recv()
            except (EOFError, OSError):
                return self._died(child)
            except Exception:  # a result that cannot be unpickled: as good as none
                log.exception("extraction_answer_unreadable", pid=child.pid)
                return self._died(child)
            tag = message[0]
            if tag == "progress":
                if progress is not None:
                    progress(*message[1:])
            elif tag == "usage":  # the child's peak RSS and its own children's (Tesseract)
                log.debug("extraction_child_usage", peak_rss_mb=message[1], peak_child_rss_mb=message[2])
            elif tag == "ok":
                return message[1]
            elif tag == "error":
                raise _rebuilt(*message[1:])
            elif tag == "transient":
                raise TransientError(message[1])
            elif tag == "crash":
                raise RuntimeError(f"the {self.name} extractor crashed in its child process: {message[1]}")
            else:  # "memory"
                raise self._too_complex()

    def _died(self, child: Any) -> Extraction:
        child.join(1)
        log.warning("extraction_child_died", pid=child.pid, exitcode=child.exitcode, memory_mb=self.memory_mb)
        if child.exitcode is not None and child.exitcode > 0:  # it exited by itself: our fault, not the file's
            raise RuntimeError(f"the {self.name} extraction child exited with code {child.exitcode}")
        raise self._too_complex()  # killed by a signal: the OOM killer, or a crash in a C library

    def _too_complex(self) -> FileTooComplex:
        return FileTooComplex(f"Reading this document needs more than the {self.memory_mb} MB of memory "
                              "a document may use; it was stopped. Try a smaller or simpler file.",
                              limit_mb=self.memory_mb)


def _run(extractor: Extractor, data: bytes, kind: DocumentKind, limits: ExtractionLimits, memory: int,
         sender: Connection) -> None:
    """In the child: cap the address space, extract, send the answer (or the error) back."""
    os.setpgid(0, 0)  # a group of its own: the parent kills the child with what it started
    _die_with_the_fork_server()
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        extraction = extractor.extract(data, kind=kind, budget=Budget(limits),
                                       progress=lambda done, total: sender.send(("progress", done, total)))
        del data
        sender.send(("usage", _peak_rss_mb(resource.RUSAGE_SELF), _peak_rss_mb(resource.RUSAGE_CHILDREN)))
        sender.send(("ok", extraction))
    except MemoryError:
        sender.send(("memory",))
    except DomainError as error:
        sender.send(("error", type(error), error.message, error.details))
    except TransientError as error:
        sender.send(("transient", str(error)))
    except Exception as error:  # a bug, not the user's file: the caller logs it as a crash
        sender.send(("crash", f"{type(error).__name__}: {error}"))
    finally:
        sender.close()


_START_LOCK = threading.Lock()


def _start(child: Any) -> None:
    """Start the child with the caller's main module hidden: multiprocessing would otherwise have
    the child import it again. The `assistant` script imports the whole CLI (a child started 160 ms
    instead of 26 ms, measured in bench.citation_views), and a main module whose file does not exist
    (a program read from stdin, an embedding interpreter) would fail to import. So what a child runs
    must live in an importable module, never in ``__main__``."""
    main = sys.modules.get("__main__")
    if main is None:
        child.start()
        return
    with _START_LOCK:
        path, spec = main.__dict__.pop("__file__", None), getattr(main, "__spec__", None)
        main.__spec__ = None  # run with -m: imported again by its name
        try:
            child.start()
        finally:
            main.__spec__ = spec
            if path is not None:
                main.__file__ = path


def _die_with_the_fork_server() -> None:
    """SIGKILL when the fork server exits, which it does when the worker dies (SIGKILLed, OOM): an
    orphan would read on to the time cap for nobody. The server waits for every holder of its
    "alive" pipe to close it, children included: this child closes its copy (it starts no process
    through the server)."""
    server = multiprocessing.forkserver._forkserver  # noqa: SLF001 - the server's state in this child
    if getattr(server, "_forkserver_alive_fd", None) is not None:
        os.close(server._forkserver_alive_fd)  # noqa: SLF001
        server._forkserver_alive_fd = None  # noqa: SLF001
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the orphan ends at its time cap
        return
    if os.getppid() == 1:  # the fork server died before prctl: do not wait for the signal
        os._exit(1)


def _peak_rss_mb(who: int) -> int:
    return resource.getrusage(who).ru_maxrss // 1024  # kilobytes on Linux


def _rebuilt(cls: type[DomainError], message: str, details: dict[str, object]) -> DomainError:
    """The child's domain error as the same class, message and details (whatever its __init__ takes)."""
    error = cls.__new__(cls)
    DomainError.__init__(error, message, **details)
    return error


def _kill(child: Any) -> None:
    """The child and everything in its process group, if still there (a no-op after a clean exit)."""
    if child.pid is None:
        return
    try:  # the group too: a Tesseract left behind by a child killed mid-page
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):  # gone already (or not yet its own group)
        if child.exitcode is None:
            child.kill()
    child.join(5)
    child.close()
