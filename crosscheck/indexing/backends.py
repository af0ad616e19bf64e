"""Where a process keeps its claim vectors, chosen by ``CROSSCHECK_VECTOR_BACKEND``.

A backend knows how to open its index (``load``, failing with ``IndexArtifactError`` when the
stored one cannot be trusted), start an empty one (``create``) and make changes durable (``save``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

from filelock import FileLock
from sqlalchemy.engine import Engine

from crosscheck.database import create_db_engine
from crosscheck.settings import Settings
from embeddings.faiss_index import FaissIndex, IndexLayout
from embeddings.index import VectorIndex
from embeddings.pgvector_index import PgVectorIndex

log = logging.getLogger(__name__)

LOCK_FILE = "index.lock"
LOCK_TIMEOUT_SECONDS = 120.0


class IndexBackend(Protocol):
    """Opens, creates and saves the vector index of one deployment."""

    @property
    def shared(self) -> bool:
        """Whether every process searches the same stored vectors (no need to follow others)."""

    def describe(self) -> str:
        """Where the index lives, for log lines."""

    def load(self, *, model: str, dimension: int) -> VectorIndex: ...

    def create(self, *, model: str, dimension: int) -> VectorIndex: ...

    def save(self, index: VectorIndex) -> None: ...

    def close(self) -> None: ...


def directory_lock(directory: Path) -> FileLock:
    """The lock that processes sharing an index folder hold while saving or loading it.

    The saved index is a cache of the database: whoever saves last wins, and a reader never sees
    one process's index file beside another's metadata.
    """
    directory.mkdir(parents=True, exist_ok=True)
    return FileLock(directory / LOCK_FILE, timeout=LOCK_TIMEOUT_SECONDS)


class FaissBackend:
    """A FAISS index in each process's memory, saved to files in ``directory``."""

    shared = False

    def __init__(self, directory: Path, *, layout: IndexLayout | None = None) -> None:
        self.directory = directory
        self.layout = layout

    def describe(self) -> str:
        return f"FAISS index in {self.directory}"

    def load(self, *, model: str, dimension: int) -> FaissIndex:
        with directory_lock(self.directory):
            return FaissIndex.load(
                self.directory, model=model, dimension=dimension, layout=self.layout
            )

    def create(self, *, model: str, dimension: int) -> FaissIndex:
        return FaissIndex(dimension, model=model, layout=self.layout)

    def save(self, index: VectorIndex) -> None:
        with directory_lock(self.directory):
            index.save(self.directory)
        log.info("saved index: %d claims to %s", index.count(), self.directory)

    def close(self) -> None:
        """Nothing held open: the index is in memory and its files are closed after each save."""


class PgVectorBackend:
    """A pgvector table in PostgreSQL that every process reads and writes."""

    shared = True

    def __init__(self, url: str, *, ef_search: int = 100) -> None:
        self.engine: Engine = create_db_engine(url)
        self._ef_search = ef_search

    def describe(self) -> str:
        return f"pgvector table in {self.engine.url.render_as_string(hide_password=True)}"

    def load(self, *, model: str, dimension: int) -> PgVectorIndex:
        index = PgVectorIndex.load(
            self.engine, model=model, dimension=dimension, ef_search=self._ef_search
        )
        self.save(index)  # a rebuild interrupted before its HNSW index was built finishes here
        return index

    def create(self, *, model: str, dimension: int) -> PgVectorIndex:
        return PgVectorIndex.create(
            self.engine, model=model, dimension=dimension, ef_search=self._ef_search
        )

    def save(self, index: VectorIndex) -> None:
        """Rows are committed as they change; this builds the HNSW index where it is missing."""
        assert isinstance(index, PgVectorIndex), "this backend opens nothing else"
        if index.build_search_index():
            log.info("built the HNSW index: %d claims in %s", index.count(), self.describe())

    def close(self) -> None:
        self.engine.dispose()


def index_backend(settings: Settings) -> IndexBackend:
    """The backend ``settings`` select."""
    if settings.vector_backend == "pgvector":
        return PgVectorBackend(settings.vector_url, ef_search=settings.pgvector_ef_search)
    return FaissBackend(settings.index_dir, layout=index_layout(settings))


def index_layout(settings: Settings) -> IndexLayout:
    """The FAISS index kinds and parameters the settings ask for."""
    return IndexLayout(
        kind=settings.index_kind,
        ivf_min_claims=settings.ivf_min_claims,
        nprobe=settings.ivf_nprobe,
    )
