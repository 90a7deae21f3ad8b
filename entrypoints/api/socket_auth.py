"""Who opened a WebSocket: the same credentials and session checks as an HTTP request
(entrypoints/api/dependencies.py), read from what a socket can carry.

- ``X-API-Key: ak_...`` or ``Authorization: Bearer ak_...``: an API key (a key wins, as over HTTP);
- ``Authorization: Bearer <access token>``, or ``?access_token=<access token>`` for clients that
  cannot set headers on a WebSocket (browsers); an API key is never taken from the URL, where
  proxies log it;
- the dashboard's session cookie (entrypoints/api/cookie_session.py: a web session, checked like an
  access token's), only when the handshake's ``Origin`` is the server's own: a browser sends the cookie with a socket any site opens, so
  without the check another site could read the user's events (cross-site WebSocket hijacking).

An access token's session must be live (application.use_cases.session_guard) and the user active;
``recheck`` asks both again while the socket stays open (a ban or a logout closes it)."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import attrs
from fastapi import WebSocket
from fastapi.concurrency import run_in_threadpool

from application.ports.security import TokenKind
from config.container import Container
from domain.api_keys import looks_like_api_key
from domain.errors import InvalidCredentials, PermissionDenied
from entrypoints.api.cookie_session import SESSION_COOKIE, cookie_claims
from entrypoints.api.dependencies import AUTH_API_KEY, AUTH_COOKIE, AUTH_TOKEN, live_session
from entrypoints.api.threads import run_fast

MISSING = ("Authentication required: an access token (Bearer or ?access_token=), an API key (X-API-Key) "
           "or the session cookie.")
FOREIGN_ORIGIN = "This WebSocket was opened by another site: refused."


@attrs.frozen(repr=False)
class SocketCredential:
    """The user behind a socket and what proved it (kept to check it again later)."""

    user_id: uuid.UUID
    method: str
    session_id: uuid.UUID | None = None
    api_key: str | None = None  # only for ``recheck``; never logged (repr=False)

    async def recheck(self, websocket: WebSocket, container: Container) -> None:
        """Raise as the connect did when the key was revoked, the session ended or the user was banned."""
        if self.api_key is not None:
            await run_in_threadpool(container.api_keys().user_for, self.api_key)
            return
        if self.session_id is not None:
            await run_fast(websocket, container.session_guard().check, self.user_id, self.session_id)
        await run_fast(websocket, container.log_in().account, self.user_id)


async def authenticate(websocket: WebSocket, container: Container) -> SocketCredential:
    """The socket's credential; InvalidCredentials (SessionEnded, TokenExpired) or PermissionDenied
    (a cookie from a foreign origin). A banned user is refused by the first read of their state."""
    headers = websocket.headers
    scheme, _, value = headers.get("authorization", "").partition(" ")
    bearer = value.strip() if scheme.lower() == "bearer" and value.strip() else None
    api_key = headers.get("x-api-key") or (bearer if bearer and looks_like_api_key(bearer) else None)
    if api_key:
        user = await run_in_threadpool(container.api_keys().user_for, api_key)
        return SocketCredential(user.id, AUTH_API_KEY, api_key=api_key)
    token = bearer or websocket.query_params.get("access_token")
    if token:
        claims = container.token_issuer().read(token, kind=TokenKind.ACCESS)
        return SocketCredential(claims.user_id, AUTH_TOKEN, await live_session(websocket, container, claims))
    if SESSION_COOKIE in websocket.cookies:
        if not same_origin(websocket, container.settings().public_url):  # before the cookie is even read
            raise PermissionDenied(FOREIGN_ORIGIN)
        claims = cookie_claims(container, websocket)  # signature and expiry; the session just below
        if claims is not None:
            return SocketCredential(claims.user_id, AUTH_COOKIE, await live_session(websocket, container, claims))
    raise InvalidCredentials(MISSING)


def same_origin(websocket: WebSocket, public_url: str | None) -> bool:
    """Whether the handshake's Origin is this server: ASSISTANT_PUBLIC_URL's origin when set (scheme
    and host), else the host the socket was opened on (its Host header). No Origin: not a page of ours."""
    origin = websocket.headers.get("origin")
    if not origin:
        return False
    parts = urlsplit(origin.strip().lower())
    if public_url:
        own = urlsplit(public_url.strip().lower())
        return (parts.scheme, parts.netloc) == (own.scheme, own.netloc)
    return bool(parts.netloc) and parts.netloc == websocket.headers.get("host", "").lower()

