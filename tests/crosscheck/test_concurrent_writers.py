"""Writers in several threads at once: every write lands, none fails on the other's lock."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from crosscheck.database import create_db_engine
from crosscheck.sources import service as source_service
from crosscheck.sources.models import Source

THREADS = 4
ROUNDS = 60
NAMES = 20


def test_sources_created_by_racing_writers_are_each_stored_once(database_url: str) -> None:
    """Threads race to create the same new sources: a read-then-write savepoint on SQLite used
    to fail at once with "database is locked" when another connection committed first."""
    engine = create_db_engine(database_url)
    factory = sessionmaker(engine)
    failures: list[BaseException] = []
    resolved: dict[str, set[int]] = {}
    lock = threading.Lock()

    def write(thread: int) -> None:
        for step in range(ROUNDS):
            name = f"Ministry {(step + thread) % NAMES}"
            try:
                with factory() as session:
                    source = source_service.get_or_create(session=session, name=name)
                    session.commit()
                    with lock:
                        resolved.setdefault(name, set()).add(source.id)
            except BaseException as exc:  # collected: the assertion below names it
                failures.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert all(len(ids) == 1 for ids in resolved.values())
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Source)) == NAMES
    engine.dispose()
