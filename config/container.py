"""The dependency-injection container: every swappable adapter is chosen here from a ``backend`` key."""

from __future__ import annotations

from collections.abc import Callable

from dependency_injector import containers, providers

from adapters.auth.jwt_tokens import JwtTokenIssuer
from adapters.auth.passwords import Argon2PasswordHasher
from adapters.cache import redis as redis_cache
from adapters.cache.health import probes_for
from adapters.cache.layered import LayeredCache
from adapters.cache.memory import MemoryCache
from adapters.embeddings.wordllama import WordLlamaEmbedder
from adapters.extractors.audio import AudioExtractor
from adapters.extractors.docx import DocxExtractor
from adapters.extractors.ocr import TesseractOcr
from adapters.extractors.pdf import PdfExtractor
from adapters.extractors.registry import ExtractorMap
from adapters.extractors.text import PlainTextExtractor
from adapters.extractors.xlsx import XlsxExtractor
from adapters.llm.fallback import FallbackLanguageModel
from adapters.llm.gemini import GeminiLanguageModel
from adapters.llm.offline import OfflineLanguageModel
from adapters.llm.openai_compatible import OpenAILanguageModel
from adapters.notify.logging import LoggingNotifier
from adapters.notify.telegram import TelegramNotifier
from adapters.persistence.engine import make_engine, is_postgresql
from adapters.persistence.health import DatabaseProbe
from adapters.persistence.async_store import PostgresAsyncStore
from adapters.persistence.threaded_async_store import ThreadedAsyncStore
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from adapters.queue import rq as rq_queue
from adapters.queue.inline import InlineJobQueue
from adapters.queue.rq_worker import RqWorkerRunner
from adapters.ratelimit.memory import MemoryRateLimiter
from adapters.ratelimit.redis import RedisRateLimiter
from adapters.retrieval.bm25 import BM25Retriever
from adapters.text.snowball import SnowballAnalyzer
from adapters.speech.pocketsphinx import PocketsphinxTranscriber
from adapters.speech.whisper import WhisperApiTranscriber
from adapters.storage.local import LocalFileStorage
from adapters.system.clock import SystemClock
from application.use_cases.api_keys import ApiKeys
from application.use_cases.authenticate_user import AuthenticateUser
from application.use_cases.check_readiness import CheckReadiness
from application.use_cases.clear_documents import ClearDocuments
from application.use_cases.delete_document import DeleteDocument
from application.use_cases.fail_document import FailDocument
from application.use_cases.ensure_user import EnsureUser
from application.use_cases.find_user import FindUser
from application.use_cases.get_analytics import GetAnalytics
from application.use_cases.get_document import GetDocument
from application.use_cases.get_usage import GetUsage
from application.use_cases.list_documents import ListDocuments
from application.use_cases.list_conversations import ListConversations
from application.use_cases.list_users import ListUsers
from application.use_cases.link_codes import LinkCodes
from application.use_cases.log_in import LogIn
from application.use_cases.process_document import ProcessDocument
from application.retrieval.finder import PassageFinder
from application.use_cases.answer_sources import RetrievalSettings
from application.use_cases.index_document import DocumentIndexer, IndexDocument, ReindexDocuments
from application.use_cases.query_document import QueryDocument
from application.use_cases.recover_documents import RecoverDocuments
from application.use_cases.register_user import RegisterUser
from application.use_cases.select_active_document import SelectActiveDocument
from application.use_cases.set_language import SetLanguage
from application.use_cases.set_status import SetStatus
from application.use_cases.set_tier import SetTier
from application.use_cases.upload_document import UploadDocument
from domain.chunking import ChunkingPolicy
from domain.pricing import PriceTable
from domain.tiers import QueuePriority, TierPolicy

RQ_JOB = "entrypoints.worker.jobs.process_document"  # by name: the worker shell builds its own container


def make_async_store(url: str, uow: Callable[[], SqlAlchemyUnitOfWork]) -> PostgresAsyncStore | ThreadedAsyncStore:
    """The async store the API answers cached questions through: psycopg's async driver on
    PostgreSQL, the unit of work in worker threads elsewhere."""
    return PostgresAsyncStore(url) if is_postgresql(url) else ThreadedAsyncStore(uow)


def warm_embedder(container: Container) -> bool:
    """Load the embedding model now (the first question or document then does not pay for it);
    False when none is configured or it cannot load (it logs one warning: the lexical index serves
    alone)."""
    embedder = container.embedder()
    return embedder is not None and embedder.warm()


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
    engine = providers.Singleton(make_engine, config.database.url)
    uow = providers.Factory(SqlAlchemyUnitOfWork, engine=engine)
    read_uow = providers.Factory(SqlAlchemyUnitOfWork, engine=engine, read_only=True)  # use cases that only read
    async_store = providers.Factory(make_async_store, config.database.url, uow.provider)  # one per event loop
    readiness_probes = providers.Singleton(
        probes_for, providers.Singleton(DatabaseProbe, engine=engine), config.redis.url)
    check_readiness = providers.Factory(CheckReadiness, probes=readiness_probes)
    storage = providers.Selector(
        config.storage.backend,
        local=providers.Singleton(LocalFileStorage, root=config.storage.path),
    )
    transcriber = providers.Selector(
        config.speech.backend,
        offline=providers.Singleton(PocketsphinxTranscriber),
        whisper=providers.Singleton(WhisperApiTranscriber, api_key=config.speech.api_key,
                                    base_url=config.speech.base_url, model=config.speech.model),
    )
    ocr = providers.Singleton(TesseractOcr, languages=config.ocr.languages)
    extractors = providers.Singleton(ExtractorMap, extractors=providers.List(
        providers.Singleton(PdfExtractor, ocr=ocr),
        providers.Singleton(XlsxExtractor),
        providers.Singleton(DocxExtractor),
        providers.Singleton(PlainTextExtractor),
        providers.Singleton(AudioExtractor, transcriber=transcriber, language=config.speech.language),
    ))
    tiers = providers.Singleton(TierPolicy.with_overrides, config.tiers)
    chunking = providers.Singleton(ChunkingPolicy, budget=config.chunking.budget, overlap=config.chunking.overlap)
    retrieval = providers.Singleton(
        RetrievalSettings, context_tokens=config.retrieval.context_tokens, cache_ttl_seconds=config.retrieval.cache_ttl,
    )
    cache = providers.Selector(
        config.cache.backend,
        memory=providers.Singleton(MemoryCache),
        redis=providers.Singleton(
            LayeredCache, l1_ttl=config.cache.l1_ttl,
            l2=providers.Singleton(redis_cache.RedisCache, prefix=config.redis.prefix,
                                   client=providers.Singleton(redis_cache.connect, config.redis.url)),
        ),
    )
    limiter = providers.Selector(
        config.ratelimit.backend,
        memory=providers.Singleton(MemoryRateLimiter, clock=clock),
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
    # llm.backend first, then llm.fallback: retries with backoff on each, then the next one
    language_model = providers.Singleton(
        FallbackLanguageModel,
        models=providers.Callable(lambda chain, built: [built[name]() for name in chain],
                                  config.llm.chain, language_models),
        max_retries=config.llm.max_retries, base_delay=config.llm.retry_delay,
    )
    notifier = providers.Selector(  # "telegram" when ASSISTANT_TELEGRAM_TOKEN is set
        config.telegram.notifier,
        logging=providers.Singleton(LoggingNotifier),
        telegram=providers.Singleton(TelegramNotifier, token=config.telegram.token,
                                     base_url=config.telegram.base_url),
    )
    hasher = providers.Singleton(Argon2PasswordHasher)
    token_issuer = providers.Singleton(
        JwtTokenIssuer, secret=config.auth.jwt_secret,
        ttls=providers.Dict(access=config.auth.access_ttl, refresh=config.auth.refresh_ttl),
    )

    process_document = providers.Factory(
        ProcessDocument, uow=uow, storage=storage, extractors=extractors, notifier=notifier, clock=clock,
        chunking=chunking, tiers=tiers, progress_interval=0.5, indexer=indexer,
    )
    index_document = providers.Factory(IndexDocument, uow=uow, indexer=indexer)
    reindex_documents = providers.Factory(ReindexDocuments, uow=uow, index_document=index_document, clock=clock)
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
    fail_document = providers.Factory(FailDocument, uow=uow, notifier=notifier, clock=clock)

    register_user = providers.Factory(
        RegisterUser, uow=uow, hasher=hasher, clock=clock,
        open_registration=providers.Callable(lambda mode: mode == "open", config.auth.registration),
    )
    ensure_user = providers.Factory(EnsureUser, uow=uow, clock=clock)
    authenticate_user = providers.Factory(AuthenticateUser, uow=uow, hasher=hasher)
    log_in = providers.Factory(LogIn, uow=uow, hasher=hasher, tokens=token_issuer)
    link_codes = providers.Factory(LinkCodes, uow=uow, cache=cache, tokens=token_issuer)
    api_keys = providers.Factory(ApiKeys, uow=uow, clock=clock)
    find_user = providers.Factory(FindUser, uow=uow)
    list_users = providers.Factory(ListUsers, uow=uow)
    set_tier = providers.Factory(SetTier, uow=uow, clock=clock)
    set_status = providers.Factory(SetStatus, uow=uow, clock=clock)
    set_language = providers.Factory(SetLanguage, uow=uow, clock=clock)
    upload_document = providers.Factory(
        UploadDocument, uow=uow, storage=storage, queue=queue, extractors=extractors, tiers=tiers, clock=clock,
    )
    list_documents = providers.Factory(ListDocuments, uow=read_uow)
    get_document = providers.Factory(GetDocument, uow=read_uow)
    delete_document = providers.Factory(DeleteDocument, uow=uow, storage=storage, clock=clock, cache=cache)
    clear_documents = providers.Factory(ClearDocuments, uow=uow, storage=storage, clock=clock, cache=cache)
    select_active_document = providers.Factory(SelectActiveDocument, uow=uow, clock=clock)
    query_document = providers.Factory(
        QueryDocument, uow=uow, llm=language_model, finder=finder, cache=cache, limiter=limiter,
        tiers=tiers, clock=clock, settings=retrieval, prices=prices, queue=queue,
    )
    get_usage = providers.Factory(GetUsage, uow=read_uow, limiter=limiter, tiers=tiers, clock=clock)
    get_analytics = providers.Factory(GetAnalytics, uow=uow, clock=clock)
    list_conversations = providers.Factory(ListConversations, uow=read_uow)
    recover_documents = providers.Factory(RecoverDocuments, uow=uow, queue=queue, tiers=tiers, clock=clock)
