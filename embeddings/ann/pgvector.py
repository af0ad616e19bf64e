"""Inner-product search with pgvector's HNSW index inside PostgreSQL, keyed by claim id.

The vectors live in a table of their own (``claim_vectors``) beside a one-row metadata table
(``claim_vectors_meta``: backend, model, dimension), both created by this module rather than by
the Alembic migrations: the claims schema must migrate on plain PostgreSQL and SQLite, which
lack the ``vector`` extension, and the table's column type depends on the model's dimension.
Every change is committed as it is made. ``save`` has no rows to write: it builds the HNSW
index when the table has none, which ``create`` leaves out because building it once over a
filled table is several times faster than growing it row by row during a rebuild. ``load``
checks that the table was built for the same model and dimension, and builds the HNSW index if
a rebuild was cut short before it. Every process reads and writes the same table (``shared``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa
from pgvector.sqlalchemy import VECTOR
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from embeddings.ann.base import ClaimIds, IndexArtifactError, IndexMissingError
from embeddings.artifacts import now, runtime_versions
from embeddings.encoders.base import Vectors

log = logging.getLogger(__name__)

VECTOR_TABLE = "claim_vectors"
METADATA_TABLE = "claim_vectors_meta"
TABLES = (VECTOR_TABLE, METADATA_TABLE)
FORMAT_VERSION = 1
# Serialises schema changes between processes starting at once (an arbitrary, fixed key).
_SCHEMA_LOCK_KEY = 0x63726F7373636B  # "crossck"
# HNSW build parameters: pgvector's defaults, written out because they set recall and size.
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 64
HNSW_INDEX = f"ix_{VECTOR_TABLE}_embedding_hnsw"


class PgVectorUnavailableError(Exception):
    """The database cannot hold vectors: the ``vector`` extension is missing or not permitted."""


def _tables(dimension: int) -> tuple[sa.Table, sa.Table]:
    metadata = sa.MetaData()
    vectors = sa.Table(
        VECTOR_TABLE,
        metadata,
        sa.Column("claim_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("embedding", VECTOR(dimension), nullable=False),
    )
    meta = sa.Table(
        METADATA_TABLE,
        metadata,
        sa.Column("id", sa.SmallInteger, sa.CheckConstraint("id = 1"), primary_key=True),
        sa.Column("format_version", sa.Integer, nullable=False),
        sa.Column("backend", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("dimension", sa.Integer, nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("versions", postgresql.JSONB, nullable=False),
    )
    return vectors, meta


def _lock_schema(connection: Connection) -> None:
    connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_SCHEMA_LOCK_KEY)))


def drop_tables(engine: Engine) -> None:
    """Remove the vector and metadata tables (tests, and switching a database back to FAISS)."""
    with engine.begin() as connection:
        _lock_schema(connection)
        connection.execute(sa.text(f"DROP TABLE IF EXISTS {VECTOR_TABLE}, {METADATA_TABLE}"))


class PgVectorIndex:
    """Claim vectors in a PostgreSQL table, searched through an HNSW index on inner product."""

    backend = "pgvector-hnsw-ip"
    shared = True

    def __init__(self, engine: Engine, *, ef_search: int = 100) -> None:
        self.engine = engine
        self._ef_search = ef_search
        # Set by ``create`` or ``load``: the tables and query for the model's dimension.
        self._dimension = 0
        self._model = ""
        self._vectors: sa.Table
        self._meta: sa.Table
        self._nearest: sa.Select[Any]

    @classmethod
    def connect(cls, url: str, *, ef_search: int = 100) -> PgVectorIndex:
        """The index in the database at ``url``, on an engine of its own (``close`` ends it)."""
        return cls(sa.create_engine(url, pool_pre_ping=True), ef_search=ef_search)

    def describe(self) -> str:
        return f"pgvector table in {self.engine.url.render_as_string(hide_password=True)}"

    def close(self) -> None:
        self.engine.dispose()

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def model(self) -> str:
        return self._model

    def _hold(self, *, model: str, dimension: int) -> Self:
        self._dimension = dimension
        self._model = model
        self._vectors, self._meta = _tables(dimension)
        query = sa.bindparam("query", type_=VECTOR(dimension))
        distance = self._vectors.c.embedding.max_inner_product(query)  # negative inner product
        self._nearest = (
            sa.select(self._vectors.c.claim_id, distance)
            .order_by(distance)
            .limit(sa.bindparam("k", type_=sa.Integer))
        )
        return self

    def create(self, *, model: str, dimension: int) -> Self:
        """An empty index for ``model``: drops the tables if present, then creates them.

        The HNSW index comes with the first ``save`` (until then searches are exact scans).
        """
        self._hold(model=model, dimension=dimension)
        try:
            with self.engine.begin() as connection:
                _lock_schema(connection)
                connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS vector"))
                connection.execute(
                    sa.text(f"DROP TABLE IF EXISTS {VECTOR_TABLE}, {METADATA_TABLE}")
                )
                self._vectors.metadata.create_all(connection)
                connection.execute(
                    self._meta.insert().values(
                        id=1,
                        format_version=FORMAT_VERSION,
                        backend=self.backend,
                        model=model,
                        dimension=dimension,
                        built_at=now(),
                        versions=runtime_versions(pgvector=_extension_version(connection)),
                    )
                )
        except DBAPIError as exc:
            url = self.engine.url.render_as_string(hide_password=True)
            raise PgVectorUnavailableError(
                f"cannot create the pgvector tables in {url} (is the vector extension "
                f"installed and may this user create it?): {exc.orig}"
            ) from exc
        return self

    def load(self, *, model: str, dimension: int) -> Self:
        """The existing tables, after checking they were built for this model and dimension.

        A rebuild interrupted before its HNSW index was built finishes here (see ``save``).
        """
        _, meta = _tables(dimension)
        with self.engine.connect() as connection:
            present = connection.execute(
                sa.select(
                    sa.func.to_regclass(VECTOR_TABLE).is_not(None),
                    sa.func.to_regclass(METADATA_TABLE).is_not(None),
                )
            ).one()
            if not all(present):
                raise IndexMissingError(f"no {VECTOR_TABLE} table with its metadata")
            row = connection.execute(sa.select(meta)).one_or_none()
        if row is None:
            raise IndexArtifactError(f"{METADATA_TABLE} is empty")
        if row.format_version != FORMAT_VERSION or row.backend != self.backend:
            raise IndexArtifactError(
                f"{VECTOR_TABLE} is {row.backend} format {row.format_version}, "
                f"expected {self.backend} format {FORMAT_VERSION}"
            )
        if row.model != model or row.dimension != dimension:
            raise IndexArtifactError(
                f"{VECTOR_TABLE} built for {row.model} ({row.dimension} dims), "
                f"not {model} ({dimension} dims)"
            )
        self._hold(model=model, dimension=dimension)
        self.save()
        return self

    def add(self, ids: Sequence[int] | ClaimIds, vectors: Vectors) -> None:
        id_array = np.asarray(ids, dtype=np.int64)
        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape != (len(id_array), self._dimension):
            raise ValueError(f"expected {len(id_array)} vectors of {self._dimension} dimensions")
        if len(id_array) == 0:
            return
        # One statement may not upsert a row twice: of an id given twice, the last vector wins.
        _, last_from_end = np.unique(id_array[::-1], return_index=True)
        keep = np.sort(len(id_array) - 1 - last_from_end)
        id_array, matrix = id_array[keep], matrix[keep]
        insert = postgresql.insert(self._vectors)
        upsert = insert.on_conflict_do_update(
            index_elements=[self._vectors.c.claim_id],
            set_={"embedding": insert.excluded.embedding},
        )
        rows = [
            {"claim_id": int(claim_id), "embedding": vector}
            for claim_id, vector in zip(id_array, matrix, strict=True)
        ]
        with self.engine.begin() as connection:
            connection.execute(upsert, rows)

    def remove(self, ids: Sequence[int] | ClaimIds) -> int:
        if len(ids) == 0:
            return 0
        wanted = [int(i) for i in ids]
        statement = sa.delete(self._vectors).where(
            self._vectors.c.claim_id
            == sa.any_(sa.bindparam("ids", wanted, type_=postgresql.ARRAY(sa.BigInteger)))
        )
        with self.engine.begin() as connection:
            return int(connection.execute(statement).rowcount)

    def search(
        self, queries: Vectors, k: int, *, among: Sequence[int] | None = None
    ) -> tuple[npt.NDArray[np.float32], ClaimIds]:
        matrix = np.ascontiguousarray(queries, dtype=np.float32).reshape(-1, self._dimension)
        ids = np.full((len(matrix), max(k, 0)), -1, dtype=np.int64)
        scores = np.zeros(ids.shape, dtype=np.float32)
        if k <= 0 or len(matrix) == 0:
            return scores, ids
        if among is not None:
            # A few given claims (a source's statements): exact scores over their own vectors,
            # since an HNSW scan filtered afterwards can return fewer than k of them.
            held = self.vectors(among)
            if not held:
                return scores, ids
            candidates = np.fromiter(held, dtype=np.int64)
            similarity = matrix @ np.stack([held[int(i)] for i in candidates]).T
            order = np.argsort(-similarity, axis=1, kind="stable")[:, :k]
            taken = order.shape[1]
            ids[:, :taken] = candidates[order]
            scores[:, :taken] = np.take_along_axis(similarity, order, axis=1)
            return scores, ids
        with self.engine.begin() as connection:
            # The HNSW scan yields at most ef_search rows: never fewer candidates than asked for.
            connection.execute(
                sa.select(sa.func.set_config("hnsw.ef_search", str(max(self._ef_search, k)), True))
            )
            for row, query in enumerate(matrix):
                found: list[Any] = list(connection.execute(self._nearest, {"query": query, "k": k}))
                for column, (claim_id, distance) in enumerate(found):
                    ids[row, column] = claim_id
                    scores[row, column] = -distance
        return scores, ids

    def count(self) -> int:
        with self.engine.connect() as connection:
            counted = connection.execute(sa.select(sa.func.count()).select_from(self._vectors))
            return int(counted.scalar_one())

    def ids(self) -> ClaimIds:
        statement = sa.select(self._vectors.c.claim_id).order_by(self._vectors.c.claim_id)
        with self.engine.connect() as connection:
            return np.fromiter(connection.execute(statement).scalars(), dtype=np.int64)

    def vectors(self, ids: Sequence[int]) -> dict[int, Vectors]:
        """The stored vector of each id that is held (absent ids are left out)."""
        wanted = sorted({int(i) for i in ids})
        if not wanted:
            return {}
        statement = sa.select(self._vectors.c.claim_id, self._vectors.c.embedding).where(
            self._vectors.c.claim_id
            == sa.any_(sa.bindparam("ids", wanted, type_=postgresql.ARRAY(sa.BigInteger)))
        )
        with self.engine.connect() as connection:
            return {
                int(claim_id): np.asarray(embedding, dtype=np.float32)
                for claim_id, embedding in connection.execute(statement)
            }

    def rebuild_reason(self) -> str | None:
        """Never: an HNSW index in PostgreSQL grows with its table, whatever the store's size."""
        return None

    def reshape(self) -> str | None:
        return None

    def save(self) -> bool:
        """Build the HNSW index if the table has none; whether it did.

        Rows need no saving: each ``add`` and ``remove`` committed as it ran.
        """
        with self.engine.begin() as connection:
            _lock_schema(connection)
            if connection.execute(sa.select(sa.func.to_regclass(HNSW_INDEX))).scalar():
                return False
            connection.execute(
                sa.text(
                    f"CREATE INDEX {HNSW_INDEX} ON {VECTOR_TABLE} "
                    f"USING hnsw (embedding vector_ip_ops) "
                    f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})"
                )
            )
        log.info("built the HNSW index: %d claims in %s", self.count(), self.describe())
        return True


def _extension_version(connection: Connection) -> str:
    version = connection.execute(
        sa.text("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
    ).scalar_one()
    return str(version)
