"""Link a Telegram account to the signed-in account: afterwards the bot and the web are one account.

The bot's /token gives its user a one-time code (application/use_cases/link_codes.py); a person
signed in on the web (or with an access token) enters it, and the Telegram account T is merged into
their account A: everything T owns moves to A in one unit of work (AccountMerge), A takes T's
Telegram id, T's sessions end and T is deleted. The bot finds its user by Telegram id on every
update (EnsureUser.telegram), so the next message to the bot already acts as A.

Refused, with nothing changed: A has another Telegram account already (unlink it first); T has
an email or a password of its own (two password accounts are not merged: which password, which
email, which plan would win is not a question a form should answer); T's documents would take A
over its plan's document quota (the message says how many to delete first). The code is spent by
any attempt, as by an exchange: a refused one is asked again with /token.
"""

from __future__ import annotations

import uuid

import attrs
import structlog

from application import answer_cache
from application.audit import audit
from application.ports.accounts import MovedBelongings
from application.ports.cache import Cache
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.access import active_user
from application.use_cases.link_codes import LinkCodes
from application.use_cases.sessions import Sessions
from domain.analytics import AuditAction
from domain.errors import DocumentQuotaExceeded, InvalidCredentials, LinkRefused
from domain.sessions import RevocationReason
from domain.tiers import TierPolicy
from domain.users import User

log = structlog.get_logger(__name__)
_SPENT = "The code is unknown, used or expired; ask the bot for a new one (/token)."


@attrs.frozen(kw_only=True)
class LinkResult:
    user: User  # the signed-in account, now with the Telegram id
    linked: bool  # False: the code was this account's own (nothing to do)
    moved: MovedBelongings = MovedBelongings()


@attrs.define
class LinkTelegram:
    uow: UnitOfWork
    codes: LinkCodes
    sessions: Sessions
    tiers: TierPolicy
    cache: Cache
    clock: Clock

    def __call__(self, user_id: uuid.UUID, code: str) -> LinkResult:
        telegram_id = self.codes.redeem(code).id  # spends the code; an unknown one is InvalidCredentials
        now = self.clock.now()
        with self.uow as uow:
            user = active_user(uow, user_id)
            if telegram_id == user.id:
                return LinkResult(user=user, linked=False)
            for locked in sorted((user.id, telegram_id)):  # one order: two links at once cannot deadlock
                uow.users.lock(locked)
            user = active_user(uow, user_id)  # again, locked: a link to it committed meanwhile shows
            telegram = uow.users.get(telegram_id)
            if telegram is None or telegram.telegram_id is None:
                raise InvalidCredentials(_SPENT)
            telegram.ensure_active()
            # both users' rows are read (the quota) and written: A is the actor, T proved by its code
            uow.act_as_admin()
            self._check(uow, user, telegram)
            moved = uow.accounts.move_belongings(telegram.id, user.id)
            ended = self.sessions.end_all(uow, telegram.id, RevocationReason.ACCOUNT_LINKED)
            uow.accounts.delete_account(telegram.id)  # frees the Telegram id (a unique column) first
            user.telegram_id = telegram.telegram_id
            user.username = user.username or telegram.username
            user.active_document_id = user.active_document_id or telegram.active_document_id
            user.updated_at = now
            uow.users.update(user)
            audit(uow, AuditAction.TELEGRAM_LINKED, actor_id=user.id, target=str(user.id), at=now,
                  merged_user_id=str(telegram.id), **moved.as_dict())
            uow.commit()
        self.sessions.forget(ended)
        # T's library answers are noted under T's id, which no deletion of A's will name: drop them
        # now (per-document answer indexes are keyed by document and stay right as they are).
        answer_cache.forget_documents(self.cache, [], owner_id=telegram.id)
        log.info("telegram_linked", user_id=str(user.id), merged_user_id=str(telegram.id), **moved.as_dict())
        return LinkResult(user=user, linked=True, moved=moved)

    def _check(self, uow: UnitOfWork, user: User, telegram: User) -> None:
        if user.telegram_id is not None:
            raise LinkRefused("This account is linked to another Telegram account already; that one has to be "
                              "unlinked first.",
                              reason="other_telegram")
        if telegram.email is not None or telegram.password_hash is not None:
            raise LinkRefused("That Telegram account has an email or password of its own; two accounts with "
                              "credentials of their own are not merged. Keep using it on its own.",
                              reason="has_credentials")
        limit = self.tiers.for_tier(user.tier).max_documents
        if limit is None:
            return
        total = sum(uow.documents.count_for_owner(owner, include_failed=False) for owner in (user.id, telegram.id))
        if total > limit:
            raise DocumentQuotaExceeded(
                f"Together the two accounts hold {total} documents and the {user.tier.value} plan keeps up to "
                f"{limit}: delete {total - limit} first (here or with the bot's /mydocs), then link again.",
                limit=limit, total=total, excess=total - limit)
