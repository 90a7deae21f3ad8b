"""The Settings page: the language the user is spoken to in, API keys, and Telegram.

- Language: SetLanguage, as the bot's /lang and the footer's switch; the redirect lands on the page
  in the new language at once (the page reads the saved language).
- API keys: ApiKeys, as /api/v1/api-keys. A new key's secret must be shown once, yet the form
  redirects (Post/Redirect/Get): the POST leaves the secret in the cache under the session's id for
  NEW_KEY_SECONDS, and the page it redirects to takes it out (read and deleted) — the same cache
  that holds the bot's one-time /token codes. A reload shows the list without it. Revoking asks
  first (a dialog with scripts, a page of its own without).
- Telegram: the bot gives its user a one-time code (/token); entered here, LinkTelegram merges that
  Telegram account into the signed-in one (its documents, questions, threads and keys move here,
  this account takes its Telegram id, the Telegram-only account is deleted), so the bot and the
  dashboard are one account and this browser's session goes on. A refusal (another Telegram account
  linked already, a Telegram account with a password of its own, more documents than the plan
  keeps) changes nothing and says why; the quota's says how many to delete, so the page is shown
  at once (409) with the numbers rather than redirected with a flash name.
"""

from __future__ import annotations

import json
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from application.ports.cache import Cache
from application.use_cases.link_codes import CODE_TTL_SECONDS
from domain.api_keys import NAME_MAX_LENGTH
from domain.errors import DocumentQuotaExceeded, InvalidCredentials, InvalidInput, LinkRefused
from entrypoints.api.threads import run_fast
from entrypoints.web.flash import Flash, flash_of, redirect_url
from entrypoints.api.languages import supported
from entrypoints.web.i18n import LANGUAGE_COOKIE, Translator
from entrypoints.web.pages import render
from entrypoints.web.visitors import Visitor, container_of, form_of, page_language, signed_in

router = APIRouter(include_in_schema=False)
SignedIn = Annotated[Visitor, Depends(signed_in)]
PAGE = "/settings"
NEW_KEY_SECONDS = 60  # the redirect follows at once; a key not shown by then is never shown
CODE_MAX_LENGTH = 32
_REFUSALS = {"other_telegram": "telegram_other", "has_credentials": "telegram_has_password"}  # flash names


def _new_key_slot(visitor: Visitor) -> str:
    return f"web-new-api-key:{visitor.session_id}"


def _take(cache: Cache, slot: str) -> bytes | None:
    """The slot's value, deleted once read (one thread hop for both)."""
    raw = cache.get(slot)
    if raw is not None:
        cache.delete(slot)
    return raw


def _field(form: FormData, name: str, limit: int) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def _back(**flash: str) -> RedirectResponse:
    return RedirectResponse(redirect_url(PAGE, **flash), status_code=303)


@router.get(PAGE)
async def settings_page(request: Request, visitor: SignedIn) -> Response:
    return await _page(request, visitor)


async def _page(request: Request, visitor: Visitor, flash: Flash | None = None, status: int = 200) -> Response:
    container = container_of(request)
    keys = await run_fast(request, container.api_keys().list, visitor.user.id)
    new_key = None
    if request.query_params.get("done") == "key_created":
        raw = await run_fast(request, _take, container.cache(), _new_key_slot(visitor))
        new_key = json.loads(raw) if raw is not None else None
    t = Translator(page_language(request, visitor))
    return render(request, "settings.html", visitor=visitor, title_key="settings_title", data={}, status=status,
                  flash=flash or flash_of(request, t), keys=keys, new_key=new_key,
                  name_max=NAME_MAX_LENGTH, code_max=CODE_MAX_LENGTH, code_minutes=CODE_TTL_SECONDS // 60)


@router.post(f"{PAGE}/language")
async def save_language(request: Request, visitor: SignedIn) -> Response:
    form = await form_of(request, visitor)
    chosen = supported(_field(form, "language", 8))
    if chosen is None:
        return _back(failed="language")
    await run_in_threadpool(container_of(request).set_language(), visitor.user.id, chosen)
    response = _back(done="language")
    response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=365 * 86400, path="/", samesite="lax", httponly=True)
    return response


@router.post(f"{PAGE}/api-keys")
async def create_key(request: Request, visitor: SignedIn) -> Response:
    form = await form_of(request, visitor)
    container = container_of(request)
    try:
        new = await run_in_threadpool(container.api_keys().create, visitor.user.id,
                                      _field(form, "name", NAME_MAX_LENGTH + 1))
    except InvalidInput:
        return _back(failed="key_name")
    secret = json.dumps({"name": new.api_key.name, "key": new.key}).encode()
    await run_fast(request, container.cache().set, _new_key_slot(visitor), secret, ttl_seconds=NEW_KEY_SECONDS)
    return _back(done="key_created")


@router.get(PAGE + "/api-keys/{key_id}/revoke")
async def confirm_revoke(request: Request, key_id: uuid.UUID, visitor: SignedIn) -> Response:
    """The confirmation without scripts (with them, a dialog on the Settings page asks the same)."""
    keys = await run_fast(request, container_of(request).api_keys().list, visitor.user.id)
    key = next((k for k in keys if k.id == key_id and k.is_active), None)
    if key is None:
        return _back()
    t = Translator(page_language(request, visitor))
    return render(request, "confirm.html", visitor=visitor, title_key="revoke_title",
                  text=t("revoke_confirm", name=key.name, prefix=key.prefix),
                  action=f"{PAGE}/api-keys/{key.id}/revoke", button=t("revoke_yes"), cancel=PAGE)


@router.post(PAGE + "/api-keys/{key_id}/revoke")
async def revoke_key(request: Request, key_id: uuid.UUID, visitor: SignedIn) -> Response:
    """As DELETE /api/v1/api-keys/{id}: requests with the key are refused from now on."""
    await form_of(request, visitor)
    await run_in_threadpool(container_of(request).api_keys().revoke, visitor.user.id, key_id)
    return _back(done="key_revoked")


@router.post(f"{PAGE}/telegram")
async def link_telegram(request: Request, visitor: SignedIn) -> Response:
    """Merge the Telegram account whose /token code this is into the signed-in account."""
    form = await form_of(request, visitor)
    link = container_of(request).link_telegram()
    try:
        result = await run_in_threadpool(link, visitor.user.id, _field(form, "code", CODE_MAX_LENGTH))
    except InvalidCredentials:
        return _back(failed="telegram_code")
    except LinkRefused as refused:
        return _back(failed=_REFUSALS.get(refused.reason, "telegram_code"))
    except DocumentQuotaExceeded as refused:
        t = Translator(page_language(request, visitor))
        text = t("telegram_quota_refused", **{k: refused.details[k] for k in ("total", "limit", "excess")})
        return await _page(request, visitor, Flash(text=text, failed=True), status=409)
    return _back(done="telegram_linked" if result.linked else "telegram_same")
