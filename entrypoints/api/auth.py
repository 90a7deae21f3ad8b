"""Registration, login, token refresh, logout, password change and linking a Telegram account."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, Field

from application.use_cases.log_in import TokenPair
from application.use_cases.register_user import EMAIL_PATTERN, RegisterUserCommand
from entrypoints.api.dependencies import ContainerDep, SessionPrincipalDep
from entrypoints.api.problems import PROBLEM_JSON, problem_body
from entrypoints.api.request_body import RequestBody
from entrypoints.api.schemas import EXAMPLE_USER, PROBLEM_RESPONSES, UserOut, example

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class RegisterIn(RequestBody):
    model_config = example({"email": "ann@example.com", "password": "correct horse battery", "username": "ann",
                            "language": "en"})

    email: str = Field(..., max_length=254, pattern=EMAIL_PATTERN, examples=["ann@example.com"])
    password: str = Field(..., min_length=8, max_length=1024, examples=["correct horse battery"])
    username: str | None = Field(None, max_length=64)
    language: str = Field("en", pattern=r"^[a-z]{2}$")


class LoginIn(RequestBody):
    model_config = example({"email": "ann@example.com", "password": "correct horse battery"})

    email: str = Field(..., max_length=254, examples=["ann@example.com"])
    password: str = Field(..., max_length=1024, examples=["correct horse battery"])


class RefreshIn(RequestBody):
    model_config = example({"refresh_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOi...refresh"})

    refresh_token: str = Field(..., max_length=4096)


class TelegramCodeIn(RequestBody):
    model_config = example({"code": "K7QW-3MZP-XA"})

    code: str = Field(..., min_length=4, max_length=32, examples=["K7QW-3MZP-XA"],
                      description="The one-time code the Telegram bot gave you with /token.")


class LinkedOut(BaseModel):
    model_config = example({"user": EXAMPLE_USER, "linked": True,
                            "moved": {"documents": 3, "conversations": 12, "threads": 2, "events": 20, "api_keys": 0}})

    user: UserOut = Field(..., description="This account, now with the Telegram id.")
    linked: bool = Field(..., description="False when the code was this account's own: nothing changed.")
    moved: dict[str, int] = Field(..., description="Rows that moved from the Telegram account, by kind.")


class PasswordIn(RequestBody):
    model_config = example({"current_password": "correct horse battery", "new_password": "battery staple horse"})

    current_password: str | None = Field(None, max_length=1024, description="Required when the account has a "
                                         "password (an account made by the Telegram bot may have none yet).")
    new_password: str = Field(..., min_length=8, max_length=1024)


class TokensOut(BaseModel):
    model_config = example({"access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOi...access",
                            "refresh_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOi...refresh",
                            "token_type": "bearer", "expires_in": 900, "user": EXAMPLE_USER})

    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int = Field(..., description="Seconds the access token is valid.")
    user: UserOut


def _tokens(container: ContainerDep, pair: TokenPair) -> TokensOut:
    return TokensOut(access_token=pair.access_token, refresh_token=pair.refresh_token,
                     expires_in=container.token_issuer().ttl("access"), user=UserOut.of(pair.user))


@router.post("/register", status_code=status.HTTP_201_CREATED, response_model=UserOut,
             responses=PROBLEM_RESPONSES(403, 409, 422))
def register(body: RegisterIn, container: ContainerDep) -> UserOut:
    """Create an account (when registration is open); then log in."""
    user = container.register_user()(RegisterUserCommand(email=body.email, password=body.password,
                                                         username=body.username, language=body.language,
                                                         self_service=True))
    return UserOut.of(user)


def _login_responses() -> dict[int | str, dict[str, Any]]:
    responses = PROBLEM_RESPONSES(401, 403, 422, 429, 503)
    responses[429]["description"] = ("Too many login attempts for this account from this address (or from the "
                                     "address, or for the account): retry after `Retry-After` seconds.")
    responses[429]["content"] = {PROBLEM_JSON: {"example": problem_body(
        429, "login_throttled", "Too many login attempts: wait before trying again.")}}
    responses[429]["headers"] = {"Retry-After": responses[429]["headers"]["Retry-After"]}
    return responses


@router.post("/login", response_model=TokensOut, responses=_login_responses())
def login(body: LoginIn, request: Request, container: ContainerDep) -> TokensOut:
    """Exchange email and password for an access token and a refresh token (a new session).

    Throttled per account and client address: see docs/security.md."""
    address = request.client.host if request.client else ""
    return _tokens(container, container.log_in()(body.email, body.password, address=address))


@router.post("/refresh", response_model=TokensOut, responses=PROBLEM_RESPONSES(401, 403, 422))
def refresh(body: RefreshIn, container: ContainerDep) -> TokensOut:
    """Exchange the session's current refresh token for a new pair. A refresh token works once: the
    same one sent again ends the whole session (401 `session_ended`), as a stolen copy would."""
    return _tokens(container, container.log_in().refresh(body.refresh_token))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
             responses=PROBLEM_RESPONSES(401, 403))
def logout(principal: SessionPrincipalDep, container: ContainerDep) -> Response:
    """End the session of this access token: it and the session's refresh token stop working."""
    if principal.session_id is not None:
        container.sessions().end(principal.id, principal.session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/password", response_model=TokensOut, responses=PROBLEM_RESPONSES(401, 403, 422))
def change_password(body: PasswordIn, principal: SessionPrincipalDep, container: ContainerDep) -> TokensOut:
    """Change the password: every session of the account ends (this one too) and the answer holds
    the tokens of a new one. API keys keep working (revoke them on their own)."""
    return _tokens(container, container.change_password()(principal.id, current_password=body.current_password,
                                                          new_password=body.new_password))


@router.post("/telegram-code", response_model=TokensOut, responses=PROBLEM_RESPONSES(401, 403, 422))
def telegram_code(body: TelegramCodeIn, container: ContainerDep) -> TokensOut:
    """Exchange a one-time code from the Telegram bot (/token) for tokens of the same account."""
    return _tokens(container, container.link_codes().exchange(body.code))


def _link_responses() -> dict[int | str, dict[str, Any]]:
    responses = PROBLEM_RESPONSES(401, 403, 409, 422)
    responses[403]["description"] = ("The account is banned or inactive; or the documents of both accounts would "
                                     "exceed this account's plan (`document_quota_exceeded`: `excess` says how many "
                                     "to delete first); or the credential is an API key.")
    responses[409]["description"] = ("`link_refused`: this account has another Telegram account already "
                                     "(`reason` `other_telegram`), or the Telegram account has an email or password "
                                     "of its own (`has_credentials`). Nothing changed.")
    responses[409]["content"] = {PROBLEM_JSON: {"example": problem_body(
        409, "link_refused", "That Telegram account has an email or password of its own; two accounts with "
        "credentials of their own are not merged. Keep using it on its own.", {"reason": "has_credentials"})}}
    return responses


@router.post("/telegram-link", response_model=LinkedOut, responses=_link_responses())
def telegram_link(body: TelegramCodeIn, principal: SessionPrincipalDep, container: ContainerDep) -> LinkedOut:
    """Link the Telegram account whose one-time code (the bot's /token) this is to the signed-in
    account: its documents, questions, threads, analytics and API keys move here, this account takes
    its Telegram id (the bot then acts as this account) and the Telegram-only account is deleted.
    Needs a login (access token or the dashboard's cookie), not an API key. The code is spent by any
    attempt."""
    result = container.link_telegram()(principal.id, body.code)
    return LinkedOut(user=UserOut.of(result.user), linked=result.linked, moved=result.moved.as_dict())
