"""One function call in a child process under the extraction limits: the same fork server, address
space cap (RLIMIT_AS) and process-group kill as adapters.extractors.child_process, for short reads
of an original that a request waits for (a page rendered, a sheet range read).

The function and its arguments are pickled to the child; its result, or the domain error it
raised, comes back. A child that runs out of memory or is killed is a FileTooComplex; one still
running after ``seconds`` is killed with what it started and is a FileTooComplex too.

The caller's main module is hidden while the child is started (child_process._start), so the
function called must live in an importable module, not in ``__main__``."""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

import structlog

from adapters.extractors.child_process import _die_with_the_fork_server, _fork_server, _kill, _rebuilt, _start
from domain.errors import DomainError, FileTooComplex

log = structlog.get_logger(__name__)


def call_in_child(function: Callable[..., Any], *args: Any, memory_mb: int, seconds: float, what: str) -> Any:
    """``function(*args)`` in a capped child; ``what`` names the work in messages ("showing this page")."""
    context = _fork_server()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(function, args, memory_mb << 20, sender), name="view", daemon=True)
    try:
        _start(child)
        sender.close()
        deadline = time.monotonic() + seconds
        while not receiver.poll(0.05):
            if not child.is_alive() and not receiver.poll(0):
                child.join(1)
                log.warning("view_child_died", exitcode=child.exitcode, memory_mb=memory_mb)
                raise _too_big(what, memory_mb)
            if time.monotonic() > deadline:
                log.warning("view_child_overran", seconds=seconds)
                raise FileTooComplex(f"{what.capitalize()} took longer than {seconds:.0f} s; it was stopped.",
                                     limit=seconds)
        try:
            tag, *rest = receiver.recv()
        except (EOFError, OSError):
            raise _too_big(what, memory_mb) from None
    finally:
        receiver.close()
        _kill(child)
    if tag == "ok":
        return rest[0]
    if tag == "error":
        raise _rebuilt(*rest)
    if tag == "memory":
        raise _too_big(what, memory_mb)
    raise RuntimeError(f"{what} crashed in its child process: {rest[0]}")


def timed(function: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    """``function(*args)`` and the CPU seconds it took where it ran (bench.citation_views passes it
    to ``call_in_child``: a fork-server child's CPU is not in the caller's rusage)."""
    start = time.process_time()
    result = function(*args)
    return result, time.process_time() - start


def _too_big(what: str, memory_mb: int) -> FileTooComplex:
    return FileTooComplex(f"{what.capitalize()} needs more than the {memory_mb} MB of memory a document may use; "
                          "it was stopped.", limit_mb=memory_mb)


def _run(function: Callable[..., Any], args: tuple, memory: int, sender: Connection) -> None:
    os.setpgid(0, 0)
    _die_with_the_fork_server()
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        sender.send(("ok", function(*args)))
    except MemoryError:
        sender.send(("memory",))
    except DomainError as error:
        sender.send(("error", type(error), error.message, error.details))
    except Exception as error:  # a bug, not the user's file
        sender.send(("crash", f"{type(error).__name__}: {error}"))
    finally:
        sender.close()
