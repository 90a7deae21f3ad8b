"""Registration, login and token refresh."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from application.use_cases.log_in import TokenPair
from application.use_cases.register_user import EMAIL_PATTERN, RegisterUserCommand
from entrypoints.api.dependencies import ContainerDep
from entrypoints.api.schemas import EXAMPLE_USER, PROBLEM_RESPONSES, UserOut, example

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class RegisterIn(BaseModel):
    model_config = example({"email": "ann@example.com", "password": "correct horse battery", "username": "ann",
                            "language": "en"})

    email: str = Field(..., max_length=254, pattern=EMAIL_PATTERN, examples=["ann@example.com"])
    password: str = Field(..., min_length=8, max_length=1024, examples=["correct horse battery"])
    username: str | None = Field(None, max_length=64)
    language: str = Field("en", pattern=r"^[a-z]{2}$")


class LoginIn(BaseModel):
    model_config = example({"email": "ann@example.com", "password": "correct horse battery"})

    email: str = Field(..., max_length=254, examples=["ann@example.com"])
    password: str = Field(..., max_length=1024, examples=["correct horse battery"])


class RefreshIn(BaseModel):
    model_config = example({"refresh_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOi...refresh"})

    refresh_token: str = Field(..., max_length=4096)


class TelegramCodeIn(BaseModel):
    model_config = example({"code": "K7QW-3MZP-XA"})

    code: str = Field(..., min_length=4, max_length=32, examples=["K7QW-3MZP-XA"],
                      description="The one-time code the Telegram bot gave you with /token.")


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


@router.post("/login", response_model=TokensOut, responses=PROBLEM_RESPONSES(401, 403, 422))
def login(body: LoginIn, container: ContainerDep) -> TokensOut:
    """Exchange email and password for an access token and a refresh token."""
    return _tokens(container, container.log_in()(body.email, body.password))


@router.post("/refresh", response_model=TokensOut, responses=PROBLEM_RESPONSES(401, 403, 422))
def refresh(body: RefreshIn, container: ContainerDep) -> TokensOut:
    """Exchange a refresh token for a new pair."""
    return _tokens(container, container.log_in().refresh(body.refresh_token))


@router.post("/telegram-code", response_model=TokensOut, responses=PROBLEM_RESPONSES(401, 403, 422))
def telegram_code(body: TelegramCodeIn, container: ContainerDep) -> TokensOut:
    """Exchange a one-time code from the Telegram bot (/token) for tokens of the same account."""
    return _tokens(container, container.link_codes().exchange(body.code))
