"""Stateful property test: whatever mix of adds, deletes, saves, crashes, reloads and rebuilds,
the index holds exactly the claims of the database, each under its own vector.

Real SQLite files and a real FAISS index saved to disk; the encoder is a stand-in that gives each
text a fixed random unit vector (the property is the bookkeeping, not the model).
"""

from __future__ import annotations

import errno
import hashlib
import json
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    multiple,
    rule,
)
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, sessionmaker

from crosscheck.claims.models import Claim
from crosscheck.claims.schemas import ClaimCreate
from crosscheck.database import create_db_engine, create_session_factory
from crosscheck.indexing.registry import forget_claim, record_claim
from crosscheck.indexing.service import ClaimIndex, catch_up, open_claim_index
from crosscheck.ingest.claims import ClaimBulkLoader
from crosscheck.ingest.rows import Row
from crosscheck.migrations import upgrade
from crosscheck.sources import service as source_service
from crosscheck.textnorm import content_hash
from embeddings.ann import faiss as faiss_index
from embeddings.ann.faiss import FaissIndex
from embeddings.encoders.base import Vectors

DIMENSION = 16
TEXTS = st.integers(min_value=0, max_value=60).map(lambda n: f"Officials counted {n} trucks.")


class HashEncoder:
    """A fixed pseudo-random unit vector per text."""

    model_name = "hash-encoder"
    dimension = DIMENSION

    def encode(self, texts: Sequence[str]) -> Vectors:
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            vector = np.random.default_rng(seed).normal(size=DIMENSION).astype(np.float32)
            rows.append(vector / np.linalg.norm(vector))
        return np.array(rows, dtype=np.float32).reshape(len(texts), DIMENSION)


_TEMPLATE: dict[str, Path] = {}


def _migrated_database() -> Path:
    """A migrated, empty SQLite file to copy per example (migrating each time is slow)."""
    if "path" not in _TEMPLATE:
        path = Path(tempfile.mkdtemp(prefix="crosscheck-state-")) / "template.db"
        upgrade(f"sqlite:///{path}")
        _TEMPLATE["path"] = path
    return _TEMPLATE["path"]


class IndexMatchesDatabase(RuleBasedStateMachine):
    claims = Bundle("claims")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="crosscheck-state-"))
        database = self.folder / "crosscheck.db"
        shutil.copy(_migrated_database(), database)
        self.engine = create_db_engine(f"sqlite:///{database}")
        self.factory: sessionmaker[Session] = create_session_factory(self.engine)
        self.encoder = HashEncoder()
        self.backend = FaissIndex(self.folder / "index")
        self.claim_index: ClaimIndex
        self.saved: list[int] | None = None  # ids of the last save that succeeded

    @initialize()
    def open_index(self) -> None:
        with self.factory() as session:
            self.claim_index, _ = open_claim_index(
                backend=self.backend, encoder=self.encoder, session=session
            )
        self.saved = self._stored_ids()

    def _stored_ids(self) -> list[int]:
        with self.factory() as session:
            return list(session.scalars(select(Claim.id).order_by(Claim.id)))

    def _reopen(self, *, rebuild: bool = False) -> None:
        with self.factory() as session:
            self.claim_index, _ = open_claim_index(
                backend=self.backend, encoder=self.encoder, session=session, rebuild=rebuild
            )

    # -- writes through the service ----------------------------------------------------------

    @rule(target=claims, text=TEXTS, source=st.sampled_from(["Wire", "Ministry"]))
    def add(self, text: str, source: str) -> int:
        with self.factory() as session:
            stored = record_claim(
                session=session,
                claim_index=self.claim_index,
                claim_in=ClaimCreate(text=text, source=source),
            )
        return stored.claim.id

    @rule(target=claims, texts=st.lists(TEXTS, min_size=1, max_size=8))
    def bulk_load(self, texts: list[str]) -> object:
        loader = ClaimBulkLoader(
            session_factory=self.factory, claim_index=self.claim_index, batch_rows=4
        )
        rows = [
            Row(line=i + 1, raw=json.dumps(data), data=data)
            for i, data in enumerate({"text": t, "source": "Wire"} for t in texts)
        ]
        loader.run(rows)  # saves the index at the end
        self.saved = self._stored_ids()
        return multiple(*self.saved)

    @rule(claim_id=consumes(claims))
    def delete(self, claim_id: int) -> None:
        with self.factory() as session:
            if session.get(Claim, claim_id) is not None:
                forget_claim(session=session, claim_index=self.claim_index, claim_id=claim_id)

    # -- another process writes; this one catches up -----------------------------------------

    @rule(text=TEXTS, claim_id=consumes(claims))
    def other_process_writes(self, text: str, claim_id: int) -> None:
        with self.factory() as session:
            session.execute(delete(Claim).where(Claim.id == claim_id))
            source = source_service.get_or_create(session=session, name="Elsewhere")
            if (
                session.scalar(
                    select(Claim.id).where(
                        Claim.source_id == source.id, Claim.content_hash == content_hash(text)
                    )
                )
                is None
            ):
                session.execute(
                    insert(Claim).values(
                        text=text, content_hash=content_hash(text), source_id=source.id
                    )
                )
            session.commit()
            catch_up(claim_index=self.claim_index, session=session)

    # -- saving, crashing, reloading ---------------------------------------------------------

    @rule()
    def save(self) -> None:
        self.claim_index.save()
        self.saved = self._stored_ids()

    @rule(step=st.sampled_from(["write_index", "write_metadata"]))
    def save_on_a_full_disk(self, step: str) -> None:
        def no_space(*_args: object, **_kwargs: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(
                faiss_index.faiss if step == "write_index" else faiss_index,
                step,
                no_space,
            )
            with pytest.raises(OSError):
                self.claim_index.save()
        if self.saved is not None:  # the previous save still loads, as it was
            loaded = FaissIndex(self.backend.directory).load(
                model=self.encoder.model_name, dimension=DIMENSION
            )
            assert loaded.ids().tolist() == self.saved

    @rule()
    def crash_and_restart(self) -> None:
        """The process dies with unsaved changes; the next one opens the last save."""
        self._reopen()
        self.saved = self._stored_ids()  # opening saves what it had to repair

    @rule()
    def rebuild(self) -> None:
        self._reopen(rebuild=True)
        self.saved = self._stored_ids()

    # -- the property ------------------------------------------------------------------------

    @invariant()
    def index_holds_exactly_the_stored_claims_with_their_vectors(self) -> None:
        with self.factory() as session:
            stored = dict(session.execute(select(Claim.id, Claim.text).order_by(Claim.id)).all())
        assert self.claim_index.ids().tolist() == list(stored)
        if stored:
            held = self.claim_index.vectors(list(stored))
            expected = self.encoder.encode(list(stored.values()))
            for row, claim_id in enumerate(stored):
                np.testing.assert_allclose(held[claim_id], expected[row], atol=1e-6)

    def teardown(self) -> None:
        self.engine.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)


IndexMatchesDatabase.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestIndexMatchesDatabase = IndexMatchesDatabase.TestCase
