"""PostgreSQL announces claim changes; a server's listener hears other processes', not its own."""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from crosscheck.claims import service as claim_service
from crosscheck.claims.schemas import ClaimCreate
from crosscheck.indexing.notifications import UNKNOWN, ClaimChangeListener, track_backend_pids
from crosscheck.migrations import upgrade
from crosscheck.runtime import Runtime
from crosscheck.settings import Settings
from tests.conftest import TABLES

pytestmark = pytest.mark.postgres

WAIT = 10.0


@pytest.fixture
def claims_url(postgres_url: str) -> str:
    upgrade(postgres_url)
    engine = create_engine(postgres_url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return postgres_url


@pytest.fixture
def writer(claims_url: str) -> Iterator[Engine]:
    engine = create_engine(claims_url)
    yield engine
    engine.dispose()


def _listening(
    url: str, own_pids: set[int] | None = None
) -> tuple[ClaimChangeListener, queue.Queue[str]]:
    heard: queue.Queue[str] = queue.Queue()
    listener = ClaimChangeListener(url, heard.put, own_pids=own_pids)
    listener.start()
    assert listener.wait_listening(WAIT)
    assert heard.get(timeout=WAIT) == UNKNOWN  # said once connected: earlier changes unheard
    return listener, heard


def _store_and_delete_a_claim(engine: Engine) -> None:
    """Two transactions, as another process would run them: store a claim, then delete it."""
    with Session(engine) as session:
        stored = claim_service.create(
            session=session, claim_in=ClaimCreate(text="The port closed.", source="Port")
        )
        session.commit()
        claim_service.delete(session=session, claim_id=stored.claim.id)
        session.commit()


def test_inserts_and_deletes_are_announced_when_committed(claims_url: str, writer: Engine) -> None:
    listener, heard = _listening(claims_url)
    try:
        with writer.begin() as connection:
            connection.execute(text("TRUNCATE claims CASCADE"))
        assert heard.get(timeout=WAIT) == "truncate"
        _store_and_delete_a_claim(writer)
        assert [heard.get(timeout=WAIT), heard.get(timeout=WAIT)] == ["insert", "delete"]
        # A rolled-back write announces nothing.
        with writer.connect() as connection:
            connection.execute(text("DELETE FROM claims"))
            connection.rollback()
        with pytest.raises(queue.Empty):
            heard.get(timeout=1.0)
    finally:
        listener.stop()


def test_writes_of_the_listening_process_itself_are_not_announced_to_it(
    claims_url: str, writer: Engine
) -> None:
    own = track_backend_pids(writer)
    listener, heard = _listening(claims_url, own_pids=own)
    try:
        _store_and_delete_a_claim(writer)
        assert own, "the writer's connections were not tracked"
        with pytest.raises(queue.Empty):
            heard.get(timeout=1.5)
        other = create_engine(claims_url)
        try:
            with other.begin() as connection:
                connection.execute(text("DELETE FROM claims"))
        finally:
            other.dispose()
        assert heard.get(timeout=WAIT) == "delete"
    finally:
        listener.stop()


def test_an_unreachable_server_is_retried_and_stop_stays_prompt() -> None:
    listener = ClaimChangeListener(
        "postgresql+psycopg://nobody@127.0.0.1:1/none", lambda kind: None
    )
    listener.start()
    assert not listener.wait_listening(1.0)
    started = time.monotonic()
    listener.stop()
    assert time.monotonic() - started < 5.0


def test_only_a_per_process_index_on_postgresql_listens(claims_url: str, tmp_path: Path) -> None:
    def listener_for(**settings: Any) -> ClaimChangeListener | None:
        runtime = Runtime(Settings(index_dir=tmp_path, **settings))
        try:
            return runtime.claim_change_listener(lambda kind: None)
        finally:
            runtime.close()

    assert listener_for(database_url=claims_url) is not None
    assert listener_for(database_url=f"sqlite:///{tmp_path / 'c.db'}") is None
    assert listener_for(database_url=claims_url, vector_backend="pgvector") is None
