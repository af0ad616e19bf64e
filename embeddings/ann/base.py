"""The contract every vector index keeps, whatever its engine, and the errors it raises."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, Self

import numpy as np
import numpy.typing as npt

from embeddings.encoders.base import Vectors

ClaimIds = npt.NDArray[np.int64]


class IndexArtifactError(Exception):
    """A saved index that is missing, corrupt, or built for another model: rebuild it."""


class IndexMissingError(IndexArtifactError):
    """No index was ever saved there (a first run, or a new folder or database): build one."""


class VectorIndex(Protocol):
    """Unit vectors keyed by int64 claim ids; scores are inner products (cosine).

    An index is made knowing where its engine keeps the vectors (``factory.create_index_store``)
    and holds nothing until ``load`` opens what is stored there or ``create`` starts it empty.
    """

    @property
    def shared(self) -> bool:
        """Whether every process searches the same stored vectors (no need to follow others)."""

    def describe(self) -> str:
        """Where the index lives, for log lines."""

    def load(self, *, model: str, dimension: int) -> Self:
        """Open the stored index (returns this one), after checking it was built for ``model``.

        Raises ``IndexArtifactError`` when it is missing, damaged or built for another model or
        dimension: the caller rebuilds from the database.
        """

    def create(self, *, model: str, dimension: int) -> Self:
        """Start empty for ``model`` (returns this index), replacing whatever is stored."""

    @property
    def dimension(self) -> int: ...

    @property
    def model(self) -> str:
        """The encoder the vectors came from; a saved index for another model is not loaded."""

    def add(self, ids: Sequence[int] | ClaimIds, vectors: Vectors) -> None:
        """Insert vectors; an id already present is replaced."""

    def remove(self, ids: Sequence[int]) -> int:
        """Drop ids that are present; returns how many were removed."""

    def search(
        self, queries: Vectors, k: int, *, among: Sequence[int] | None = None
    ) -> tuple[npt.NDArray[np.float32], ClaimIds]:
        """Top-``k`` scores and ids per query row (only ids in ``among`` if given); pad id -1."""

    def count(self) -> int: ...

    def ids(self) -> ClaimIds:
        """Every id held, ascending."""

    def vectors(self, ids: Sequence[int]) -> dict[int, Vectors]:
        """The stored vector of each id that is held (absent ids are left out)."""

    def save(self) -> object:
        """Make what was added and removed durable where the index lives.

        What it returns is the engine's own report (FAISS: the metadata it wrote).
        """

    def rebuild_reason(self) -> str | None:
        """Why the index no longer suits the store's size (``None`` when it does)."""

    def reshape(self) -> str | None:
        """Rebuild as the store's size wants, if it wants a change; returns the reason."""

    def close(self) -> None:
        """Let go of what the index holds open (database connections); it is not used again."""
