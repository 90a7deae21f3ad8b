"""SQLAlchemy Core repositories: explicit row <-> entity mapping, one module per aggregate."""

from adapters.persistence.repositories.analytics import SqlAlchemyAnalyticsRepository
from adapters.persistence.repositories.api_keys import SqlAlchemyApiKeyRepository
from adapters.persistence.repositories.audit import SqlAlchemyAuditLog
from adapters.persistence.repositories.chunks import SqlAlchemyChunkRepository
from adapters.persistence.repositories.conversations import SqlAlchemyConversationRepository
from adapters.persistence.repositories.documents import SqlAlchemyDocumentRepository
from adapters.persistence.repositories.sessions import SqlAlchemySessionRepository
from adapters.persistence.repositories.threads import SqlAlchemyThreadRepository
from adapters.persistence.repositories.users import SqlAlchemyUserRepository

__all__ = [
    "SqlAlchemyAnalyticsRepository",
    "SqlAlchemyApiKeyRepository",
    "SqlAlchemyAuditLog",
    "SqlAlchemyChunkRepository",
    "SqlAlchemyConversationRepository",
    "SqlAlchemyDocumentRepository",
    "SqlAlchemySessionRepository",
    "SqlAlchemyThreadRepository",
    "SqlAlchemyUserRepository",
]
