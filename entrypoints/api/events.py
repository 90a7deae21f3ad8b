"""WebSocket ``/api/v1/events``: the user's own events as they happen (docs/api.md#real-time-events).

On connect the client is authenticated (entrypoints.api.socket_auth), subscribed to this process's
hub, then sent a ``document.progress`` for each of its documents still pending or processing (read
from the database after subscribing, so nothing that happens meanwhile is missed: at worst a
progress arrives twice), then the live events, each a JSON text message. The socket is one way:
what the client sends is read and ignored. Keep-alive is the server's WebSocket pings
(``assistant serve``: ASSISTANT_EVENTS_PING_SECONDS), which idle proxies see as traffic and which
close a socket whose client has gone.

Close codes: 4401 not authenticated (no or a bad credential, an ended session, a revoked key),
4403 refused (a banned user, a cookie sent by another site's page), 1012 the event stream had a gap
(the relay between processes was lost, or the client fell far behind): reconnect, 1013 events are
unavailable right now (Redis is down): reconnect later, 1011 an unexpected error.

The router's lifespan starts the process's one event relay (adapters.events: a Redis subscription
in the production profile, nothing in the embedded one) and stops it with the API."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import orjson
import structlog
from fastapi import APIRouter, FastAPI, WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from application.ports.events import EventListener, EventsInterrupted
from config.container import Container
from domain.errors import DomainError
from domain.events import UserEvent, as_dict
from entrypoints.api.problems import STATUS_BY_CODE
from entrypoints.api.socket_auth import SocketCredential, authenticate
from entrypoints.api.threads import run_fast

log = structlog.get_logger(__name__)

PATH = "/api/v1/events"
CLOSE_UNAUTHENTICATED, CLOSE_FORBIDDEN = 4401, 4403
CLOSE_GAP, CLOSE_TRY_LATER, CLOSE_ERROR = 1012, 1013, 1011
UNAVAILABLE = "Real-time events are unavailable right now; reconnect in a few seconds."


@contextlib.asynccontextmanager
async def _relay(app: FastAPI) -> AsyncIterator[None]:
    relay = app.state.container.event_relay()
    await relay.start()
    try:
        yield
    finally:
        await relay.close()


router = APIRouter(lifespan=_relay)


@router.websocket(PATH)
async def events(websocket: WebSocket) -> None:
    container: Container = websocket.app.state.container
    await websocket.accept()  # first, so that a refusal reaches the client as a close code it can read
    listener: EventListener | None = None
    try:
        credential = await authenticate(websocket, container)
        hub = container.event_hub()
        if not hub.available:
            await _close(websocket, CLOSE_TRY_LATER, UNAVAILABLE)
            return
        listener = hub.subscribe(credential.user_id)  # before the state is read: nothing falls between
        for event in await run_fast(websocket, container.pending_documents(), credential.user_id):
            await _send(websocket, event)
        await _relay_events(websocket, container, credential, listener)
    except DomainError as error:
        await _close(websocket, close_code(error.code), error.message)
    except (WebSocketDisconnect, OSError):
        pass  # the client left
    except Exception:
        log.exception("events_socket_failed")
        await _close(websocket, CLOSE_ERROR, "An unexpected error closed this socket.")
    finally:
        if listener is not None:
            listener.close()


def close_code(error_code: str) -> int:
    """The close code of a refusal: 4401 and 4403 for what HTTP answers 401 and 403 (a credential
    whose user is gone is a bad credential), 1013 for a service that is down, else 1011."""
    status = STATUS_BY_CODE.get(error_code)
    if status == 401 or error_code == "user_not_found":
        return CLOSE_UNAUTHENTICATED
    if status == 403:
        return CLOSE_FORBIDDEN
    return CLOSE_TRY_LATER if status == 503 else CLOSE_ERROR


async def _relay_events(websocket: WebSocket, container: Container, credential: SocketCredential,
                        listener: EventListener) -> None:
    """Forward events until the client leaves, the stream has a gap (1012), or a recheck refuses
    (the DomainError is raised). Two tasks: one forwards, one reads until the client disconnects."""
    forward = asyncio.create_task(_forward(websocket, container, credential, listener))
    reader = asyncio.create_task(_until_disconnect(websocket))
    try:
        done, _ = await asyncio.wait({forward, reader}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        forward.cancel()
        reader.cancel()
    if reader in done:
        return  # the client left (what a send to it raised meanwhile does not matter)
    try:
        forward.result()
    except EventsInterrupted as gap:
        await _close(websocket, CLOSE_GAP, gap.reason)


async def _forward(websocket: WebSocket, container: Container, credential: SocketCredential,
                   listener: EventListener) -> None:
    """Every ``events_recheck_seconds`` the session, key and user are checked again, however busy the
    stream (a deadline, not an idle timeout: a steady flow of events must not put the check off)."""
    recheck = container.settings().events_recheck_seconds
    loop = asyncio.get_running_loop()
    due = loop.time() + recheck
    while True:
        try:
            async with asyncio.timeout_at(due):
                event = await listener.next()
        except TimeoutError:
            await credential.recheck(websocket, container)
            due = loop.time() + recheck
            continue
        await _send(websocket, event)


async def _until_disconnect(websocket: WebSocket) -> None:
    """Read (and ignore) what the client sends until it disconnects."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return


async def _send(websocket: WebSocket, event: UserEvent) -> None:
    await websocket.send_text(orjson.dumps(as_dict(event, for_client=True)).decode())


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    if websocket.application_state is WebSocketState.DISCONNECTED or \
            websocket.client_state is WebSocketState.DISCONNECTED:
        return
    with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
        await websocket.close(code, reason.encode()[:123].decode(errors="ignore"))
