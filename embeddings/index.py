"""The contract every vector index backend keeps, and the errors it raises."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from embeddings.encoder import Vectors

ClaimIds = npt.NDArray[np.int64]


class IndexArtifactError(Exception):
    """A saved index that is missing, corrupt, or built for another model: rebuild it."""


class VectorIndex(Protocol):
    """Unit vectors keyed by int64 claim ids; scores are inner products (cosine)."""

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

    def save(self, directory: Path) -> object:
        """Make what was added and removed durable (``directory`` for file-based backends).

        What it returns is the backend's own report (FAISS: the metadata it wrote).
        """

    def rebuild_reason(self) -> str | None:
        """Why the index no longer suits the store's size (``None`` when it does)."""

    def reshape(self) -> str | None:
        """Rebuild as the store's size wants, if it wants a change; returns the reason."""
