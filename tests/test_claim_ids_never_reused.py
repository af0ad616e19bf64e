"""A deleted claim's id is never given to another claim: ids key the vector index."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from crosscheck.claims import service as claim_service
from crosscheck.claims.schemas import ClaimCreate
from crosscheck.database import create_db_engine, create_session_factory
from crosscheck.migrations import upgrade


def test_the_newest_claims_id_is_not_reused_after_its_delete(database_url: str) -> None:
    engine = create_db_engine(database_url)
    factory = create_session_factory(engine)
    with factory() as session:
        ids = [
            claim_service.create(
                session=session, claim_in=ClaimCreate(text=f"Statement {i}.", source="Wire")
            ).claim.id
            for i in range(3)
        ]
        session.commit()
        claim_service.delete(session=session, claim_id=ids[-1])
        session.commit()
        again = claim_service.create(
            session=session, claim_in=ClaimCreate(text="Another statement.", source="Wire")
        ).claim.id
        session.commit()
    engine.dispose()
    assert again > ids[-1]


def test_migration_0006_keeps_every_row_and_the_rows_that_refer_to_claims(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0004")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO sources (id, name, name_key, kind, created_at) "
                "VALUES (1, 'Wire', 'wire', 'outlet', '2026-01-01')"
            )
        )
        for i in (1, 2, 3):
            connection.execute(
                text(
                    "INSERT INTO claims (id, text, content_hash, source_id, created_at, polarity) "
                    f"VALUES ({i}, 'Statement {i}.', 'h{i}', 1, '2026-01-01', 'asserts')"
                )
            )
        connection.execute(
            text(
                "INSERT INTO claim_reviews (claim_id, reviewer, rating, url, created_at) "
                "VALUES (3, 'Checker', 'False', 'https://example.org/r', '2026-01-02')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO documents (id, text, content_hash, created_at) "
                "VALUES (1, 'Statement 2.', 'd1', '2026-01-02')"
            )
        )
        connection.execute(
            text(
                'INSERT INTO claim_appearances (claim_id, document_id, start, "end", relayed_by) '
                "VALUES (2, 1, 0, 12, '[]')"
            )
        )
    engine.dispose()
    upgrade(url)  # a foreign-key cascade while the table is rebuilt would empty the two below
    engine = create_db_engine(url)
    with engine.begin() as connection:
        assert connection.scalar(text("SELECT count(*) FROM claims")) == 3
        assert connection.scalar(text("SELECT count(*) FROM claim_reviews")) == 1
        assert connection.scalar(text("SELECT count(*) FROM claim_appearances")) == 1
        assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        connection.execute(text("DELETE FROM claims WHERE id = 3"))
        connection.execute(
            text(
                "INSERT INTO claims (text, content_hash, source_id, created_at, polarity) "
                "VALUES ('New.', 'h4', 1, '2026-01-03', 'asserts')"
            )
        )
        assert connection.scalar(text("SELECT max(id) FROM claims")) == 4
    engine.dispose()
