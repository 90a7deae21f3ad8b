"""The dependency-injection container: every swappable adapter is chosen here from a ``backend`` key."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import structlog
from dependency_injector import containers, providers

from config.lazy import Lazy, LazyModule

from application.use_cases.api_keys import ApiKeys
from application.use_cases.apply_retention import ApplyRetention
from application.use_cases.roll_up_analytics import RollUpAnalytics
from application.use_cases.audit_trail import AuditTrail
from application.use_cases.authenticate_user import AuthenticateUser
from application.use_cases.backups import BackUp, RestoreBackup
from application.use_cases.check_readiness import CheckReadiness
from application.use_cases.clear_documents import ClearDocuments
from application.use_cases.delete_document import DeleteDocument
from application.use_cases.fail_document import FailDocument
from application.use_cases.ensure_user import EnsureUser
from application.use_cases.export_threads import ExportThreads
from application.use_cases.find_user import FindUser
from application.use_cases.get_analytics import GetAnalytics
from application.use_cases.document_thumbnail import DocumentThumbnail
from application.use_cases.citation_view import ShowCitation
from application.use_cases.original_files import OriginalFile, PageImage
from application.use_cases.get_document import GetDocument
from application.use_cases.get_usage import GetUsage
from application.use_cases.list_documents import ListDocuments
from application.use_cases.list_conversations import ListConversations
from application.use_cases.list_users import ListUsers
from application.use_cases.link_codes import LinkCodes
from application.use_cases.link_telegram import LinkTelegram
from application.use_cases.change_password import ChangePassword
from application.use_cases.log_in import LogIn
from application.use_cases.login_throttle import LoginLimits, LoginThrottle
from application.use_cases.session_guard import SessionGuard
from application.use_cases.sessions import Sessions
from application.use_cases.pending_documents import PendingDocuments
from application.use_cases.process_document import ProcessDocument
from application.retrieval.finder import PassageFinder
from application.use_cases.answer_sources import RetrievalSettings
from application.use_cases.index_document import DocumentIndexer, IndexDocument, ReindexDocuments
from application.use_cases.query_document import QueryDocument
from application.use_cases.recover_documents import RecoverDocuments
from application.use_cases.register_user import RegisterUser
from application.use_cases.rotate_storage_key import RotateStorageKey
from application.use_cases.select_active_document import SelectActiveDocument
from application.use_cases.set_language import SetLanguage
from application.use_cases.set_status import SetStatus
from application.use_cases.set_tier import SetTier
from application.use_cases.thread_questions import ThreadQuestions
from application.use_cases.threads import Threads
from application.use_cases.upload_document import UploadDocument
from domain.chunking import ChunkingPolicy
from domain.pricing import PriceTable
from domain.tiers import QueuePriority, TierPolicy

# every adapter is imported when a provider first builds it (config/lazy.py: start-up time)
JwtTokenIssuer = Lazy("adapters.auth.jwt_tokens", "JwtTokenIssuer")
Argon2PasswordHasher = Lazy("adapters.auth.passwords", "Argon2PasswordHasher")
redis_cache = LazyModule("adapters.cache.redis")
probes_for = Lazy("adapters.cache.health", "probes_for")
LayeredCache = Lazy("adapters.cache.layered", "LayeredCache")
MemoryCache = Lazy("adapters.cache.memory", "MemoryCache")
WordLlamaEmbedder = Lazy("adapters.embeddings.wordllama", "WordLlamaEmbedder")
AudioExtractor = Lazy("adapters.extractors.audio", "AudioExtractor")
ChildProcessExtractor = Lazy("adapters.extractors.child_process", "ChildProcessExtractor")
DocxExtractor = Lazy("adapters.extractors.docx", "DocxExtractor")
ExportRendererMap = Lazy("adapters.export.registry", "ExportRendererMap")
EventHub = Lazy("adapters.events.hub", "EventHub")
InProcessEventPublisher = Lazy("adapters.events.memory", "InProcessEventPublisher")
InProcessEventRelay = Lazy("adapters.events.memory", "InProcessEventRelay")
RedisEventPublisher = Lazy("adapters.events.redis", "RedisEventPublisher")
RedisEventRelay = Lazy("adapters.events.redis", "RedisEventRelay")
TesseractOcr = Lazy("adapters.extractors.ocr", "TesseractOcr")
PdfExtractor = Lazy("adapters.extractors.pdf", "PdfExtractor")
IsolatedOriginalReader = Lazy("adapters.extractors.views.reader", "IsolatedOriginalReader")
ImageExtractor = Lazy("adapters.extractors.image", "ImageExtractor")
PixelCaps = Lazy("adapters.extractors.pdf_render", "PixelCaps")
ExtractorMap = Lazy("adapters.extractors.registry", "ExtractorMap")
SheetCaps = Lazy("adapters.extractors.sheet_caps", "SheetCaps")
PlainTextExtractor = Lazy("adapters.extractors.text", "PlainTextExtractor")
XlsxExtractor = Lazy("adapters.extractors.xlsx", "XlsxExtractor")
FallbackLanguageModel = Lazy("adapters.llm.fallback", "FallbackLanguageModel")
GeminiLanguageModel = Lazy("adapters.llm.gemini", "GeminiLanguageModel")
OfflineLanguageModel = Lazy("adapters.llm.offline", "OfflineLanguageModel")
OpenAILanguageModel = Lazy("adapters.llm.openai_compatible", "OpenAILanguageModel")
MeteredLanguageModel = Lazy("adapters.metrics.language_model", "MeteredLanguageModel")
MeteredNotifier = Lazy("adapters.metrics.notifier", "MeteredNotifier")
telegram_error_counter = Lazy("adapters.metrics.telegram", "count_telegram_status")
LoggingNotifier = Lazy("adapters.notify.logging", "LoggingNotifier")
TelegramNotifier = Lazy("adapters.notify.telegram", "TelegramNotifier")
make_engine = Lazy("adapters.persistence.engine", "make_engine")
is_postgresql = Lazy("adapters.persistence.engine", "is_postgresql")
DatabaseProbe = Lazy("adapters.persistence.health", "DatabaseProbe")
PostgresAsyncStore = Lazy("adapters.persistence.async_store", "PostgresAsyncStore")
ThreadedAsyncStore = Lazy("adapters.persistence.threaded_async_store", "ThreadedAsyncStore")
SqlAlchemyUnitOfWork = Lazy("adapters.persistence.unit_of_work", "SqlAlchemyUnitOfWork")
rq_queue = LazyModule("adapters.queue.rq")
InlineJobQueue = Lazy("adapters.queue.inline", "InlineJobQueue")
RqWorkerRunner = Lazy("adapters.queue.rq_worker", "RqWorkerRunner")
LimitsAttemptCounter = Lazy("adapters.ratelimit.attempts", "LimitsAttemptCounter")
MemoryRateLimiter = Lazy("adapters.ratelimit.memory", "MemoryRateLimiter")
RedisRateLimiter = Lazy("adapters.ratelimit.redis", "RedisRateLimiter")
SqliteAttemptCounter = Lazy("adapters.sqlite_state.attempts", "SqliteAttemptCounter")
SqliteCache = Lazy("adapters.sqlite_state.cache", "SqliteCache")
SqliteRateLimiter = Lazy("adapters.sqlite_state.rate_limiter", "SqliteRateLimiter")
BM25Retriever = Lazy("adapters.retrieval.bm25", "BM25Retriever")
SnowballAnalyzer = Lazy("adapters.text.snowball", "SnowballAnalyzer")
PocketsphinxTranscriber = Lazy("adapters.speech.pocketsphinx", "PocketsphinxTranscriber")
WhisperApiTranscriber = Lazy("adapters.speech.whisper", "WhisperApiTranscriber")
LocalFileStorage = Lazy("adapters.storage.local", "LocalFileStorage")
EncryptedFileStorage = Lazy("adapters.storage.encrypted", "EncryptedFileStorage")
KeyRecords = Lazy("adapters.storage.key_records", "KeyRecords")
parse_keyring = Lazy("adapters.storage.keyring", "parse_keyring")
new_storage_key = Lazy("adapters.storage.keyring", "new_key_entry")  # `assistant storage new-key`
SystemClock = Lazy("adapters.system.clock", "SystemClock")
LogContextRequestContext = Lazy("adapters.system.request_context", "LogContextRequestContext")
database_dump = Lazy("adapters.persistence.backup", "database_dump")
SqlAlchemyRetentionStore = Lazy("adapters.persistence.retention", "SqlAlchemyRetentionStore")
SqlAlchemyPartitionMaintenance = Lazy("adapters.persistence.partitions", "SqlAlchemyPartitionMaintenance")
SqlAlchemyAnalyticsRollups = Lazy("adapters.persistence.usage_rollups", "SqlAlchemyAnalyticsRollups")
read_engine = Lazy("adapters.persistence.replica", "read_engine")

RQ_JOB = "entrypoints.worker.jobs.process_document"  # by name: the worker shell builds its own container


def make_async_store(url: str, uow: Callable[[], SqlAlchemyUnitOfWork], row_security: bool = False,
                     pool_size: int = 20, transaction_pooler: bool = False) -> PostgresAsyncStore | ThreadedAsyncStore:
    """The async store the API answers cached questions through: psycopg's async driver on
    PostgreSQL (at most ``pool_size`` connections), the unit of work in worker threads elsewhere."""
    if not is_postgresql(url):
        return ThreadedAsyncStore(uow)
    return PostgresAsyncStore(url, row_security=row_security, max_size=pool_size, transaction_pooler=transaction_pooler)


def warm_embedder(container: Container) -> bool:
    """Load the embedding model now (the first question or document then does not pay for it);
    False when none is configured or it cannot load (it logs one warning: the lexical index serves
    alone)."""
    embedder = container.embedder()
    return embedder is not None and embedder.warm()


def warm_up(container: Container) -> bool:
    """A question-serving process's start-up (the API, the bot; a worker only loads the model,
    warm_embedder): the embedding model loaded (warm_embedder)
    and what every question's first call would otherwise pay opened now: the question path's
    modules imported (config/lazy.py defers them for short commands), one database connection in
    the pool with the lookups' statements compiled (run once for no document), the answer cache's
    state, the stemmers. Nothing about any document is read: the first question still reads its
    documents' index rows, vectors and passages. Returns warm_embedder's answer."""
    loaded = warm_embedder(container)
    container.query_document()  # builds the use case and its adapters: their modules imported
    container.language_model()
    analyzer = container.analyzer()
    for language in ("en", "ru"):
        analyzer.terms("warm up", language)
    embedder = container.embedder() if loaded else None
    query = embedder.embed(["warm up"]) if embedder is not None else None
    nothing = uuid.UUID(int=0)  # no document: the statements are compiled and sent, no row is read
    try:
        with container.read_uow() as uow:  # a connection opened
            uow.users.get(nothing)
            uow.search.states([nothing])
            uow.search.hybrid([nothing], ["warm"], query, limit=1)
            uow.chunks.get_many([(nothing, 0)])
        container.cache().get("warm-up")
    except Exception:  # a service down at start-up: the first question reports it as it would have
        structlog.get_logger(__name__).warning("warm_up_incomplete", exc_info=True)
    return loaded


def check_storage_keys(container: Container) -> None:
    """Start-up: raise StorageKeysMismatch when ASSISTANT_STORAGE_KEYS is wrong for the stored files
    (a key they need is missing or has other bytes, or they are encrypted and no key is set)."""
    container.storage_key_records().check()


def job_timeouts(tiers: TierPolicy) -> dict[QueuePriority, int]:
    """The job timeout of each queue: the longest of the tiers that use it."""
    timeouts: dict[QueuePriority, int] = {}
    for limits in tiers.limits.values():
        timeouts[limits.queue_priority] = max(timeouts.get(limits.queue_priority, 0), limits.job_timeout_seconds)
    return timeouts


class Container(containers.DeclarativeContainer):
    config = providers.Configuration(strict=True)
    settings = providers.Object(None)  # the Settings object, set by config.bootstrap

    clock = providers.Singleton(SystemClock)
    engine = providers.Singleton(make_engine, config.database.url, pool_size=config.database.pool_size,
                                 transaction_pooler=config.database.transaction_pooler)
    request_context = providers.Singleton(LogContextRequestContext)  # the audit log's client address, request id
    uow = providers.Factory(SqlAlchemyUnitOfWork, engine=engine, context=request_context,
                            row_security=config.database.row_security, role=config.database.row_role)
    read_uow = providers.Factory(SqlAlchemyUnitOfWork, engine=engine, read_only=True,  # use cases that only read
                                 row_security=config.database.row_security, role=config.database.row_role)
    # reports and lists, off the primary when ASSISTANT_DATABASE_READ_URL names a replica (the primary
    # when it is away); not for reads that must see the caller's own last write (a document's status)
    replica_engine = providers.Singleton(read_engine, config.database.read_url, engine,
                                         pool_size=config.database.pool_size,
                                         transaction_pooler=config.database.transaction_pooler)
    replica_uow = providers.Factory(SqlAlchemyUnitOfWork, engine=replica_engine, read_only=True,
                                    row_security=config.database.row_security, role=config.database.row_role)
    # the background work on any user's documents (processing, indexing, recovery, retention),
    # whichever process runs it: row-level security's trusted worker role
    worker_uow = providers.Factory(SqlAlchemyUnitOfWork, engine=engine, context=request_context,
                                   row_security=config.database.row_security, role="worker")
    async_store = providers.Factory(make_async_store, config.database.url, uow.provider,  # one per event loop
                                    config.database.row_security, config.database.pool_size,
                                    config.database.transaction_pooler)
    readiness_probes = providers.Singleton(
        probes_for, providers.Singleton(DatabaseProbe, engine=engine), config.redis.url)
    check_readiness = providers.Factory(CheckReadiness, probes=readiness_probes)
    blob_store = providers.Selector(  # the files as stored (ciphertext when encrypted): backups copy these
        config.storage.backend,
        local=providers.Singleton(LocalFileStorage, root=config.storage.path),
    )
    storage_keyring = providers.Selector(  # "on" when ASSISTANT_STORAGE_KEYS is set
        config.storage.encryption,
        off=providers.Object(None),
        on=providers.Singleton(parse_keyring, config.storage.keys),
    )
    storage_key_records = providers.Singleton(KeyRecords, root=config.storage.path, keyring=storage_keyring)
    storage = providers.Selector(  # files encrypted at rest with keys (adapters/storage/encrypted.py)
        config.storage.encryption,
        off=blob_store,
        on=providers.Singleton(EncryptedFileStorage, inner=blob_store, keyring=storage_keyring,
                               records=storage_key_records),
    )
    rotate_storage_key = providers.Factory(RotateStorageKey, storage=storage)
    database_backup = providers.Singleton(database_dump, config.database.url)  # pg_dump or SQLite's backup API
    back_up = providers.Factory(BackUp, database=database_backup, files=blob_store, key_records=storage_key_records,
                                clock=clock)
    restore_backup = providers.Factory(RestoreBackup, database=database_backup, files=blob_store,
                                       key_records=storage_key_records)
    transcriber = providers.Selector(
        config.speech.backend,
        offline=providers.Singleton(PocketsphinxTranscriber),
        whisper=providers.Singleton(WhisperApiTranscriber, api_key=config.speech.api_key,
                                    base_url=config.speech.base_url, model=config.speech.model),
    )
    ocr = providers.Singleton(TesseractOcr, languages=config.ocr.languages)
    pixel_caps = providers.Singleton(PixelCaps, max_pixels=config.ocr.max_pixels,
                                     max_image_pixels=config.ocr.max_image_pixels)
    sheet_caps = providers.Singleton(SheetCaps, max_rows=config.extraction.max_rows,
                                     max_cells=config.extraction.max_cells)
    # each file read in a child process under ASSISTANT_WORKER_MEMORY_MB (audio: in process, see
    # docs/security.md#worker-limits: its transcriber holds a network client or a loaded model)
    extractors = providers.Singleton(ExtractorMap, extractors=providers.List(
        providers.Singleton(ChildProcessExtractor, memory_mb=config.extraction.memory_mb,
                            inner=providers.Singleton(PdfExtractor, ocr=ocr, caps=pixel_caps)),
        providers.Singleton(ChildProcessExtractor, memory_mb=config.extraction.memory_mb,
                            inner=providers.Singleton(XlsxExtractor, caps=sheet_caps)),
        providers.Singleton(ChildProcessExtractor, memory_mb=config.extraction.memory_mb,
                            inner=providers.Singleton(DocxExtractor)),
        providers.Singleton(ChildProcessExtractor, memory_mb=config.extraction.memory_mb,
                            inner=providers.Singleton(PlainTextExtractor, caps=sheet_caps)),
        providers.Singleton(ChildProcessExtractor, memory_mb=config.extraction.memory_mb,
                            inner=providers.Singleton(ImageExtractor, ocr=ocr, max_pixels=config.ocr.max_pixels,
                                                      max_image_pixels=config.ocr.max_image_pixels)),
        providers.Singleton(AudioExtractor, transcriber=transcriber, language=config.speech.language),
    ), max_image_pixels=config.ocr.max_image_pixels)
    tiers = providers.Singleton(TierPolicy.with_overrides, config.tiers)
    chunking = providers.Singleton(ChunkingPolicy, budget=config.chunking.budget, overlap=config.chunking.overlap)
    retrieval = providers.Singleton(
        RetrievalSettings, context_tokens=config.retrieval.context_tokens, cache_ttl_seconds=config.retrieval.cache_ttl,
    )
    cache = providers.Selector(
        config.cache.backend,
        memory=providers.Singleton(MemoryCache),
        sqlite=providers.Singleton(SqliteCache, path=config.state.path),
        redis=providers.Singleton(
            LayeredCache, l1_ttl=config.cache.l1_ttl,
            l2=providers.Singleton(redis_cache.RedisCache, prefix=config.redis.prefix,
                                   client=providers.Singleton(redis_cache.connect, config.redis.url)),
        ),
    )
    limiter = providers.Selector(
        config.ratelimit.backend,
        memory=providers.Singleton(MemoryRateLimiter, clock=clock),
        sqlite=providers.Singleton(SqliteRateLimiter, path=config.state.path, clock=clock),
        redis=providers.Singleton(RedisRateLimiter, url=config.redis.url, clock=clock, prefix=config.redis.prefix),
    )
    retriever = providers.Singleton(BM25Retriever)  # documents not yet in the search index
    analyzer = providers.Singleton(SnowballAnalyzer)
    embedder = providers.Selector(
        config.embedding.backend,
        none=providers.Object(None),
        static=providers.Singleton(WordLlamaEmbedder),
    )
    indexer = providers.Singleton(DocumentIndexer, analyzer=analyzer, embedder=embedder)
    finder = providers.Singleton(PassageFinder, analyzer=analyzer, fallback=retriever, embedder=embedder,
                                 candidates=config.retrieval.candidates)
    prices = providers.Singleton(PriceTable.with_overrides, config.llm.prices)
    language_models = providers.Dict(  # every backend, built only when the chain names it
        offline=providers.Singleton(OfflineLanguageModel, analyzer=analyzer, embedder=embedder).provider,
        gemini=providers.Singleton(
            GeminiLanguageModel, api_key=config.gemini.api_key, model=config.gemini.model,
            base_url=config.gemini.base_url, api_version=config.gemini.api_version,
            timeout_seconds=config.llm.timeout,
        ).provider,
        openai=providers.Singleton(
            OpenAILanguageModel, api_key=config.openai.api_key, model=config.openai.model,
            base_url=config.openai.base_url, timeout_seconds=config.llm.timeout,
        ).provider,
    )
    # llm.backend first, then llm.fallback: retries with backoff on each, then the next one; every
    # call counted by backend, role and outcome (adapters/metrics/language_model.py)
    language_model = providers.Singleton(
        FallbackLanguageModel,
        models=providers.Callable(lambda chain, built: [
            MeteredLanguageModel(built[name](), backend=name, primary=position == 0)
            for position, name in enumerate(chain)], config.llm.chain, language_models),
        max_retries=config.llm.max_retries, base_delay=config.llm.retry_delay,
    )
    notifier = providers.Singleton(MeteredNotifier, inner=providers.Selector(  # counts documents processed
        config.telegram.notifier,  # "telegram" when ASSISTANT_TELEGRAM_TOKEN is set
        logging=providers.Singleton(LoggingNotifier),
        telegram=providers.Singleton(TelegramNotifier, token=config.telegram.token,
                                     base_url=config.telegram.base_url,
                                     on_error=providers.Object(telegram_error_counter)),  # counted by kind
    ))
    hasher = providers.Singleton(Argon2PasswordHasher)
    token_issuer = providers.Singleton(
        JwtTokenIssuer, secret=config.auth.jwt_secret,
        ttls=providers.Dict(access=config.auth.access_ttl, refresh=config.auth.refresh_ttl,
                            web=config.auth.refresh_ttl),  # the dashboard's cookie lives as a refresh token
    )

    # real-time events: publishers everywhere, the hub and its relay in API processes (docs/api.md#real-time-events)
    event_hub = providers.Singleton(EventHub)  # this process's sockets, by user
    events = providers.Selector(
        config.events.backend,
        memory=providers.Singleton(InProcessEventPublisher, hub=event_hub),
        redis=providers.Singleton(RedisEventPublisher, url=config.redis.url, prefix=config.redis.prefix),
    )
    event_relay = providers.Selector(  # one per API process, started by its lifespan
        config.events.backend,
        memory=providers.Factory(InProcessEventRelay),
        redis=providers.Factory(RedisEventRelay, url=config.redis.url, hub=event_hub, prefix=config.redis.prefix),
    )
    pending_documents = providers.Factory(PendingDocuments, uow=worker_uow)

    process_document = providers.Factory(
        ProcessDocument, uow=worker_uow, storage=storage, extractors=extractors, notifier=notifier, clock=clock,
        chunking=chunking, tiers=tiers, progress_interval=0.5, indexer=indexer, events=events,
    )
    index_document = providers.Factory(IndexDocument, uow=worker_uow, indexer=indexer)
    reindex_documents = providers.Factory(ReindexDocuments, uow=worker_uow, index_document=index_document, clock=clock)
    queue = providers.Selector(
        config.queue.backend,
        inline=providers.Singleton(InlineJobQueue, process_factory=process_document.provider,
                                   workers=config.queue.workers),
        rq=providers.Singleton(
            rq_queue.RqJobQueue, connection=providers.Singleton(rq_queue.connect, config.redis.url),
            job_function=RQ_JOB, prefix=config.redis.prefix,
            retry_delays=providers.Callable(rq_queue.backoff, config.rq.retries, config.rq.retry_delay),
            timeouts=providers.Callable(job_timeouts, tiers),
        ),
    )
    worker_runner = providers.Factory(RqWorkerRunner, queue=queue, worker_class=config.rq.worker_class)
    fail_document = providers.Factory(FailDocument, uow=worker_uow, notifier=notifier, clock=clock, events=events)

    register_user = providers.Factory(
        RegisterUser, uow=uow, hasher=hasher, clock=clock,
        open_registration=providers.Callable(lambda mode: mode == "open", config.auth.registration),
    )
    ensure_user = providers.Factory(EnsureUser, uow=uow, clock=clock)
    authenticate_user = providers.Factory(AuthenticateUser, uow=uow, hasher=hasher)
    session_guard = providers.Singleton(SessionGuard, unit_of_work=uow.provider, clock=clock,
                                        recheck_seconds=config.auth.session_recheck_seconds)
    sessions = providers.Factory(Sessions, uow=uow, tokens=token_issuer, clock=clock, guard=session_guard)
    attempt_counter = providers.Selector(  # login attempts: shared by every process on Redis
        config.ratelimit.backend,
        memory=providers.Singleton(LimitsAttemptCounter, url="memory://"),
        sqlite=providers.Singleton(SqliteAttemptCounter, path=config.state.path),
        redis=providers.Singleton(LimitsAttemptCounter, url=config.redis.url, prefix=config.redis.prefix),
    )
    login_throttle = providers.Factory(
        LoginThrottle, counter=attempt_counter, cache=cache, clock=clock,
        limits=providers.Factory(LoginLimits, per_account_address=config.auth.login.per_account_address,
                                 per_address=config.auth.login.per_address, per_account=config.auth.login.per_account),
    )
    log_in = providers.Factory(LogIn, uow=uow, hasher=hasher, sessions=sessions, throttle=login_throttle)
    change_password = providers.Factory(ChangePassword, uow=uow, hasher=hasher, sessions=sessions)
    link_codes = providers.Factory(LinkCodes, uow=uow, cache=cache, sessions=sessions)
    link_telegram = providers.Factory(LinkTelegram, uow=uow, codes=link_codes, sessions=sessions, tiers=tiers,
                                      cache=cache, clock=clock)
    api_keys = providers.Factory(ApiKeys, uow=uow, clock=clock)
    find_user = providers.Factory(FindUser, uow=uow)
    list_users = providers.Factory(ListUsers, uow=uow)
    set_tier = providers.Factory(SetTier, uow=uow, clock=clock)
    set_status = providers.Factory(SetStatus, uow=uow, clock=clock)
    set_language = providers.Factory(SetLanguage, uow=uow, clock=clock)
    upload_document = providers.Factory(
        UploadDocument, uow=uow, storage=storage, queue=queue, extractors=extractors, tiers=tiers, clock=clock,
    )
    list_documents = providers.Factory(ListDocuments, uow=replica_uow)
    get_document = providers.Factory(GetDocument, uow=read_uow)
    threads = providers.Factory(Threads, uow=uow, clock=clock)
    thread_questions = providers.Factory(ThreadQuestions, uow=uow, history_tokens=config.retrieval.history_tokens)
    document_thumbnail = providers.Factory(DocumentThumbnail, uow=read_uow, storage=storage)
    # the citation viewer reads originals again, in capped children like the extractors
    original_reader = providers.Singleton(IsolatedOriginalReader, caps=pixel_caps, sheet_caps=sheet_caps,
                                          memory_mb=config.extraction.memory_mb)
    show_citation = providers.Factory(ShowCitation, uow=read_uow, storage=storage, reader=original_reader)
    page_image = providers.Factory(PageImage, uow=read_uow, storage=storage, reader=original_reader)
    original_file = providers.Factory(OriginalFile, uow=read_uow, storage=storage)
    export_renderers = providers.Singleton(ExportRendererMap)
    export_threads = providers.Factory(ExportThreads, uow=uow, renderers=export_renderers, clock=clock)  # audited: writes
    delete_document = providers.Factory(DeleteDocument, uow=uow, storage=storage, clock=clock, cache=cache)
    clear_documents = providers.Factory(ClearDocuments, uow=uow, storage=storage, clock=clock, cache=cache)
    select_active_document = providers.Factory(SelectActiveDocument, uow=uow, clock=clock)
    query_document = providers.Factory(
        QueryDocument, uow=uow, llm=language_model, finder=finder, cache=cache, limiter=limiter,
        tiers=tiers, clock=clock, settings=retrieval, prices=prices, queue=queue, events=events,
    )
    get_usage = providers.Factory(GetUsage, uow=replica_uow, limiter=limiter, tiers=tiers, clock=clock)
    get_analytics = providers.Factory(GetAnalytics, uow=replica_uow, clock=clock, audit_uow=uow)  # audit: the primary
    audit_trail = providers.Factory(AuditTrail, uow=read_uow)
    list_conversations = providers.Factory(ListConversations, uow=replica_uow)
    recover_documents = providers.Factory(RecoverDocuments, uow=worker_uow, queue=queue, tiers=tiers, clock=clock)
    analytics_rollups = providers.Singleton(SqlAlchemyAnalyticsRollups, engine=engine)
    apply_retention = providers.Factory(  # the tiers' keep_*_days: the worker's periodic job and the CLI
        ApplyRetention, uow=worker_uow, store=providers.Singleton(SqlAlchemyRetentionStore, engine=engine),
        storage=storage, tiers=tiers, clock=clock, cache=cache,
        rollups=analytics_rollups,  # closed days rolled up first
    )
    partitions = providers.Singleton(SqlAlchemyPartitionMaintenance, engine=engine)  # PostgreSQL's month partitions
    roll_up_analytics = providers.Factory(  # closed days into analytics rollups: the worker's periodic job
        RollUpAnalytics, rollups=analytics_rollups, clock=clock)
