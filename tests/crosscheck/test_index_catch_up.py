"""A process's index catches up with claims other processes wrote and deleted (``catch_up``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import delete

from crosscheck.claims import service as claim_service
from crosscheck.claims.models import Claim
from crosscheck.claims.schemas import ClaimCreate
from crosscheck.indexing.registry import forget_claim, record_claim
from crosscheck.indexing.service import catch_up, follow_new_claims
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from embeddings.encoders.base import Vectors
from embeddings.encoders.sentence_transformers import SentenceTransformerEncoder


def _started(settings: Settings, encoder: SentenceTransformerEncoder) -> Runtime:
    runtime = Runtime(settings, encoder=encoder)
    runtime.start(load_judge=False)
    return runtime


@pytest.fixture
def writer(settings: Settings, encoder: SentenceTransformerEncoder) -> Iterator[Runtime]:
    runtime = _started(settings, encoder)
    yield runtime
    runtime.close()


@pytest.fixture
def follower(
    settings: Settings, encoder: SentenceTransformerEncoder, tmp_path: Path
) -> Iterator[Runtime]:
    """A second process on the same database, with an index folder of its own."""
    runtime = _started(settings.model_copy(update={"index_dir": tmp_path / "follower"}), encoder)
    yield runtime
    runtime.close()


def _write(runtime: Runtime, *texts: str) -> list[int]:
    ids = []
    with runtime.session_factory() as session:
        for text in texts:
            stored = record_claim(
                session=session,
                claim_index=runtime.claim_index,
                claim_in=ClaimCreate(text=text, source="Harbour Authority"),
            )
            ids.append(stored.claim.id)
    return ids


def _catch_up(runtime: Runtime) -> tuple[int, int] | None:
    with runtime.session_factory() as session:
        report = catch_up(claim_index=runtime.claim_index, session=session)
    return None if report is None else (report.added, report.removed)


def _stored(runtime: Runtime) -> list[int]:
    with runtime.session_factory() as session:
        return claim_service.all_ids(session=session)


def test_nothing_changed_means_no_work(writer: Runtime, follower: Runtime) -> None:
    _write(writer, "The harbour reopened on Monday.")
    assert _catch_up(follower) == (1, 0)
    assert _catch_up(follower) is None


def test_new_and_deleted_claims_of_another_writer_are_followed(
    writer: Runtime, follower: Runtime
) -> None:
    ids = _write(writer, "The harbour reopened on Monday.", "Two cranes were damaged.")
    assert _catch_up(follower) == (2, 0)
    assert follower.claim_index.ids().tolist() == ids
    hits = follower.claim_index.search(
        follower.encoder.encode(["Were cranes damaged at the harbour?"])[0], 1
    )
    assert hits[0][0] == ids[1]
    with writer.session_factory() as session:
        forget_claim(session=session, claim_index=writer.claim_index, claim_id=ids[0])
    assert _catch_up(follower) == (0, 1)
    assert follower.claim_index.ids().tolist() == [ids[1]] == _stored(writer)


def test_a_swap_that_keeps_count_and_highest_id_is_still_seen(
    writer: Runtime, follower: Runtime
) -> None:
    first, second, third, fourth = _write(
        writer, "Claim one about the port.", "Claim two.", "Claim three.", "Claim four."
    )
    with writer.session_factory() as session:
        forget_claim(session=session, claim_index=writer.claim_index, claim_id=third)
    _catch_up(follower)
    assert follower.claim_index.ids().tolist() == [first, second, fourth]
    # Another writer deletes one claim and a late transaction stores one with a lower id:
    # the count and the highest id are what they were.
    with writer.session_factory() as session:
        source_id = claim_service.get(session=session, claim_id=first).source_id
        session.execute(delete(Claim).where(Claim.id == second))
        session.add(Claim(id=third, text="A late claim.", content_hash="late", source_id=source_id))
        session.commit()
    assert _catch_up(follower) == (1, 1)
    assert follower.claim_index.ids().tolist() == [first, third, fourth] == _stored(writer)


def test_following_inserts_fetches_only_claims_above_the_highest_held_id(
    writer: Runtime, follower: Runtime
) -> None:
    with follower.session_factory() as session:
        assert follow_new_claims(claim_index=follower.claim_index, session=session) is None
    ids = _write(writer, "The harbour reopened on Monday.", "Two cranes were damaged.")
    with follower.session_factory() as session:
        report = follow_new_claims(claim_index=follower.claim_index, session=session)
        assert report is not None and report.added == 2
        assert follow_new_claims(claim_index=follower.claim_index, session=session) is None
    assert follower.claim_index.ids().tolist() == ids


class _EncoderThatLetsADeleteIn:
    """Encodes like the real one, but first lets another writer delete a claim (once)."""

    def __init__(self, encoder: SentenceTransformerEncoder, delete: Callable[[], None]) -> None:
        self._encoder = encoder
        self._delete: Callable[[], None] | None = delete

    @property
    def model_name(self) -> str:
        return self._encoder.model_name

    @property
    def dimension(self) -> int:
        return self._encoder.dimension

    def encode(self, texts: Sequence[str]) -> Vectors:
        if self._delete is not None and texts:
            self._delete()
            self._delete = None
        return self._encoder.encode(texts)


@pytest.mark.parametrize("follow", ["new-claims", "full-sync"])
def test_a_claim_deleted_while_it_is_encoded_does_not_stay_indexed(
    writer: Runtime,
    settings: Settings,
    encoder: SentenceTransformerEncoder,
    tmp_path: Path,
    follow: str,
) -> None:
    ids = _write(writer, "The harbour reopened on Monday.", "Two cranes were damaged.")

    def delete_first() -> None:
        with writer.session_factory() as session:
            forget_claim(session=session, claim_index=writer.claim_index, claim_id=ids[0])

    follower = Runtime(
        settings.model_copy(update={"index_dir": tmp_path / "late"}),
        encoder=_EncoderThatLetsADeleteIn(encoder, delete_first),
    )
    if follow == "full-sync":  # the start-up sync encodes both claims
        follower.start(load_judge=False)
    else:  # the start-up sync sees no claims; following the inserts encodes them
        with writer.session_factory() as session:
            session.execute(delete(Claim))
            session.commit()
        follower.start(load_judge=False)
        ids = _write(writer, "The harbour reopened on Monday.", "Two cranes were damaged.")
        with follower.session_factory() as session:
            follow_new_claims(claim_index=follower.claim_index, session=session)
    try:
        assert follower.claim_index.ids().tolist() == [ids[1]] == _stored(follower)
    finally:
        follower.close()
