"""Choosing the vector index: FAISS in each process's memory, or pgvector inside PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from embeddings.ann.base import VectorIndex
from embeddings.ann.faiss import FaissIndex, IndexLayout
from embeddings.ann.pgvector import PgVectorIndex

VectorBackend = Literal["faiss", "pgvector"]


def create_index_store(
    *,
    backend: VectorBackend,
    directory: Path | None = None,
    layout: IndexLayout | None = None,
    url: str | None = None,
    ef_search: int = 100,
) -> VectorIndex:
    """The index of ``backend``, not yet opened (``load`` or ``create`` it for a model).

    ``faiss`` saves to files in ``directory``, with the index kinds ``layout`` asks for;
    ``pgvector`` keeps its table in the PostgreSQL database at ``url`` and weighs ``ef_search``
    candidates per query. Each engine takes only its own parameters.
    """
    if backend == "pgvector":
        if url is None:
            raise ValueError("the pgvector index needs the url of its PostgreSQL database")
        return PgVectorIndex.connect(url, ef_search=ef_search)
    if directory is None:
        raise ValueError("the FAISS index needs the directory it saves to")
    return FaissIndex(directory, layout=layout)
