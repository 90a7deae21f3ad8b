"""Checks every use case shares: an active user, an owned document, an administrator."""

from __future__ import annotations

import uuid

from application.ports.unit_of_work import UnitOfWork
from domain.documents import Document
from domain.errors import DocumentNotFound, InvalidCredentials, NoActiveDocument, PermissionDenied, UserNotFound
from domain.users import User


def active_user(uow: UnitOfWork, user_id: uuid.UUID) -> User:
    """The active user acting; the rest of the unit of work acts for them (row-level security)."""
    user = checked_active(uow.users.get(user_id))
    uow.act_for(user.id)
    return user


def checked_active(user: User | None) -> User:
    """The user, if there is one and it is active (UserNotFound / banned / inactive otherwise)."""
    if user is None:
        raise UserNotFound("User not found.")
    user.ensure_active()
    return user


def credential_user(uow: UnitOfWork, user_id: uuid.UUID, message: str) -> User:
    """The active user a credential (token, link code, API key) names; a user deleted since the
    credential was issued is reported as InvalidCredentials(``message``), a banned one as usual."""
    try:
        return active_user(uow, user_id)
    except UserNotFound:
        raise InvalidCredentials(message) from None


def admin_user(uow: UnitOfWork, user_id: uuid.UUID) -> User:
    """The active administrator acting; one who no longer exists is an invalid credential (the
    admin use cases also read a *target* user, whose absence is UserNotFound: kept apart)."""
    user = credential_user(uow, user_id, "The token is not valid.")
    if not user.is_admin:
        raise PermissionDenied("Only an administrator can do this.")
    uow.act_as_admin()
    return user


def owned_document(uow: UnitOfWork, user: User, document_id: uuid.UUID | None) -> Document:
    """The user's document, or their active one when ``document_id`` is None.

    Another user's document is reported exactly like a missing one."""
    if document_id is None:
        if user.active_document_id is None:
            raise NoActiveDocument("No document is selected: upload one or choose one first.")
        document_id = user.active_document_id
    return checked_owned(user, document_id, uow.documents.get(document_id))


def checked_owned(user: User, document_id: uuid.UUID, document: Document | None) -> Document:
    """The document read for ``document_id`` if the user owns it: another user's is reported
    exactly like a missing one."""
    if document is None or document.owner_id != user.id:
        raise DocumentNotFound("Document not found.", document_id=str(document_id))
    return document


def existing_user(uow: UnitOfWork, user_id: uuid.UUID) -> User:
    """Any user, whatever their status (for administration)."""
    user = uow.users.get(user_id)
    if user is None:
        raise UserNotFound("User not found.", user_id=str(user_id))
    return user
