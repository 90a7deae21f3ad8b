"""ProcessDocument with tier caps, extractor provenance and notes; UploadDocument with a password."""

from __future__ import annotations

import attrs
import pytest

from application.ports.extractor import Budget, ExtractionLimits
from application.use_cases.process_document import ProcessDocument
from application.use_cases.upload_document import UploadDocumentCommand
from domain.errors import FileTooComplex, PasswordRequired
from domain.tiers import TierPolicy
from domain.users import Tier
from tests.fakes import FakeExtractor, FakeExtractors
from tests.unit.conftest import World


def process(world: World, document_id) -> None:  # noqa: ANN001
    ProcessDocument(uow=world.uow, storage=world.storage, extractors=world.extractors, notifier=world.notifier,
                    clock=world.clock, tiers=world.tiers)(document_id)


def test_the_extractor_gets_the_owners_tier_caps() -> None:
    world = World(tiers=TierPolicy.with_overrides({"premium": {"max_pages": 7, "max_characters": 99,
                                                               "max_processing_seconds": 5}}))
    document = world.upload(world.add_user(tier=Tier.PREMIUM))
    process(world, document.id)
    budget = world.extractors.extractor.budgets[-1]
    assert budget.limits == ExtractionLimits(max_pages=7, max_characters=99, max_seconds=5)


def test_a_document_over_the_page_cap_fails_with_file_too_complex() -> None:
    world = World(tiers=TierPolicy.with_overrides({"free": {"max_pages": 2}}))
    document = world.upload(world.add_user(), "one\n\ntwo\n\nthree")
    process(world, document.id)
    stored = world.document(document.id)
    assert (stored.status.value, stored.error_code) == ("failed", "file_too_complex")


def test_a_document_over_the_character_cap_fails_and_the_next_one_is_processed() -> None:
    world = World(tiers=TierPolicy.with_overrides({"free": {"max_characters": 10}}))
    user = world.add_user()
    big, small = world.upload(user, "x" * 50), world.upload(user, "tiny")
    process(world, big.id)
    process(world, small.id)
    assert world.document(big.id).error_code == "file_too_complex"
    assert world.document(small.id).status.value == "completed"


def test_completed_documents_record_the_extractor_and_its_notes() -> None:
    world = World(extractors=FakeExtractors(FakeExtractor(notes=("Pages read by OCR: 2.",))))
    document = world.upload(world.add_user())
    process(world, document.id)
    stored = world.document(document.id)
    assert (stored.extractor, stored.extractor_version, stored.notes) == ("fake", "1", "Pages read by OCR: 2.")


def test_budget_time_cap() -> None:
    now = [0.0]
    budget = Budget(ExtractionLimits(max_seconds=10), clock=lambda: now[0])
    budget.check_time()
    now[0] = 10.5
    with pytest.raises(FileTooComplex):
        budget.check_time()


def test_upload_with_a_password_stores_the_unlocked_file() -> None:
    world = World()
    user = world.add_user()
    data = b"LOCKED:s3cret\nThe payment terms are 30 days."
    result = world.upload_use_case()(UploadDocumentCommand(user_id=user.id, filename="a.txt", data=data,
                                                          password="s3cret"))
    assert world.storage.get(result.document.storage_key) == b"The payment terms are 30 days."
    assert "s3cret" not in repr(attrs.evolve(result.document))


def test_upload_with_a_wrong_password_is_refused() -> None:
    world = World()
    user = world.add_user()
    with pytest.raises(PasswordRequired):
        world.upload_use_case()(UploadDocumentCommand(user_id=user.id, filename="a.txt",
                                                      data=b"LOCKED:right\nbody", password="wrong"))
    assert world.store.documents == {}


class _FivePages(FakeExtractor):
    def __init__(self, world: World) -> None:
        super().__init__()
        self.world, self.seen = world, []

    def extract(self, data, *, kind, progress=None, budget=None):  # noqa: ANN001, ANN201
        for page in range(1, 6):
            progress(page, 5)
            self.seen.append(next(iter(self.world.store.documents.values())).progress_done)
        return super().extract(data, kind=kind, budget=budget)


def test_progress_is_stored_at_most_once_per_interval_and_the_end_with_the_completion() -> None:
    world = World()
    world.extractors = FakeExtractors(_FivePages(world))
    document = world.upload(world.add_user())
    commits = world.uow.commits
    ProcessDocument(uow=world.uow, storage=world.storage, extractors=world.extractors, notifier=world.notifier,
                    clock=world.clock, progress_interval=3600)(document.id)
    assert world.extractors.extractor.seen == [0, 0, 0, 0, 0]  # the first report waits for the interval too
    done = world.store.documents[document.id]
    assert (done.progress_done, done.progress_total) == (5, 5)
    assert world.uow.commits - commits == 2  # processing, completion (no page stored within the interval)
