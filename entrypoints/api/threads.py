"""Two thread pools per API process. Routes that may wait long (a question to the language model,
an upload) run in the default pool (ASSISTANT_API_THREADS, 40); short blocking calls (a document
and its chunks, conversations, usage, a question's rate limit, a cache read that needs Redis) run
in a small pool of their own (ASSISTANT_API_FAST_THREADS, 4): fewer threads contend less for the
GIL, and slow questions cannot hold up the rest. (The documents list and cached answers need no
thread at all on PostgreSQL: application.ports.document_pages / question_store.)"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import anyio
import anyio.to_thread
from fastapi import Request

P = ParamSpec("P")
T = TypeVar("T")


async def run_fast(request: Request, func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a short, blocking database read in the fast pool (context variables, e.g. the request id
    bound for the logs, go with it)."""
    state = request.app.state
    limiter = getattr(state, "fast_threads", None)
    if limiter is None:  # created on first use, inside the event loop
        limiter = state.fast_threads = anyio.CapacityLimiter(state.container.settings().api_fast_threads)
    return await anyio.to_thread.run_sync(functools.partial(func, *args, **kwargs), limiter=limiter)
