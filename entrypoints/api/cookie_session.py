"""The dashboard's session cookie and its CSRF rules, for every route that accepts the cookie
(the JSON API, the WebSocket gateway, the web pages).

Signing in on the web starts a login session of channel ``web`` (domain.sessions) and sets
``assistant_session``: a signed token of kind ``web`` naming the session, HttpOnly, SameSite=Lax,
Path=/, Secure when ASSISTANT_PUBLIC_URL is https. It is checked like an access token: the
signature and expiry here, the session's life by the SessionGuard (a sign-out, a logout elsewhere
or a password change ends it).

A cookie is an ambient credential: the browser sends it with requests another site makes it send.
So a state-changing request (POST, PUT, PATCH, DELETE) authenticated by the cookie must also carry
the session's CSRF token, which only our own pages know: in the ``X-CSRF-Token`` header (scripts)
or the ``csrf_token`` form field (page forms). The token is an HMAC of the session id with a key
derived from the JWT secret, so it needs no storage and dies with the session. Forms shown before
there is a session (sign in, register) use a double-submit token instead: a random value, signed
the same way, in the ``assistant_csrf`` cookie and in the form; a cross-site form cannot read the
cookie, so it cannot send the matching field. Requests with a bearer token or an API key need no
CSRF token: the browser never adds those by itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

from starlette.requests import HTTPConnection
from starlette.responses import Response

from application.ports.security import TokenClaims, TokenKind
from config.container import Container
from domain.errors import InvalidCredentials, PermissionDenied

SESSION_COOKIE = "assistant_session"
PRE_SESSION_COOKIE = "assistant_csrf"  # the double-submit token of the sign-in and register forms
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PRE_SESSION_MAX_AGE = 2 * 3600  # seconds a sign-in form may stay open


class CsrfFailed(PermissionDenied):
    """A state-changing request authenticated by the session cookie without the session's CSRF
    token (403): it may come from another site's page."""

    code = "csrf_failed"


def cookie_claims(container: Container, connection: HTTPConnection) -> TokenClaims | None:
    """The claims of the session cookie, its signature and expiry checked (not its session:
    ``entrypoints.api.dependencies.live_session``); None without the cookie. InvalidCredentials (or
    TokenExpired) for a bad one."""
    token = connection.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    claims = container.token_issuer().read(token, kind=TokenKind.WEB)
    if claims.session_id is None:
        raise InvalidCredentials("The session cookie is not valid: sign in again.")
    return claims


def csrf_token(container: Container, session_id: uuid.UUID) -> str:
    """The CSRF token of a web session (the same for the session's whole life)."""
    return _sign(container, f"session:{session_id}")


def check_csrf(container: Container, session_id: uuid.UUID, presented: str | None) -> None:
    """CsrfFailed unless ``presented`` is the session's CSRF token."""
    if not presented or not hmac.compare_digest(presented, csrf_token(container, session_id)):
        raise CsrfFailed("This request needs the page's CSRF token (header X-CSRF-Token or form field "
                         "csrf_token): reload the page and try again.")


def new_pre_session_token(container: Container) -> str:
    """A fresh double-submit token for a form shown before sign-in: ``<nonce>.<signature>``."""
    nonce = secrets.token_urlsafe(18)
    return f"{nonce}.{_sign(container, f'pre:{nonce}')}"


def pre_session_valid(container: Container, cookie: str | None, field: str | None) -> bool:
    """True when the form's token equals the cookie's and is one this server signed."""
    if not cookie or not field or not hmac.compare_digest(cookie, field):
        return False
    nonce, _, signature = cookie.partition(".")
    return bool(nonce) and hmac.compare_digest(signature, _sign(container, f"pre:{nonce}"))


def secure_cookies(container: Container) -> bool:
    """Cookies are Secure when the public address (ASSISTANT_PUBLIC_URL) is https."""
    return (container.settings().public_url or "").lower().startswith("https://")


def set_session_cookie(response: Response, container: Container, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=container.token_issuer().ttl(TokenKind.WEB), path="/",
                        httponly=True, samesite="lax", secure=secure_cookies(container))


def clear_session_cookie(response: Response, container: Container) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=secure_cookies(container))


def set_pre_session_cookie(response: Response, container: Container, token: str) -> None:
    response.set_cookie(PRE_SESSION_COOKIE, token, max_age=PRE_SESSION_MAX_AGE, path="/", httponly=True,
                        samesite="lax", secure=secure_cookies(container))


def _sign(container: Container, message: str) -> str:
    secret = container.config.auth.jwt_secret().encode()
    key = hmac.new(secret, b"assistant-csrf-v1", hashlib.sha256).digest()  # not the JWT key itself
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
