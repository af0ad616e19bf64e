"""Self-describing index artifacts: a metadata file checked before a saved index is trusted."""

from __future__ import annotations

import hashlib
import os
import platform
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field, ValidationError

from embeddings.ann.base import ClaimIds, IndexArtifactError, IndexMissingError

METADATA_FILE = "index.meta.json"
FORMAT_VERSION = 1


class IndexMetadata(BaseModel):
    """What a saved index holds and how it was built."""

    format_version: int = FORMAT_VERSION
    backend: str
    kind: str = "flat"
    params: dict[str, int] = Field(default_factory=dict)
    model: str
    dimension: int
    count: int
    ids_sha256: str
    file_sha256: str
    # The index file this metadata describes, beside it. Each save writes a new file and then
    # switches to it by replacing this metadata, so a crash leaves one consistent pair.
    file: str = "claims.faiss"
    built_at: datetime
    versions: dict[str, str]


def ids_digest(ids: ClaimIds) -> str:
    """A watermark of exactly which claim ids an index holds."""
    ordered = np.sort(np.asarray(ids, dtype="<i8"))
    return hashlib.sha256(ordered.tobytes()).hexdigest()


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def runtime_versions(**extra: str) -> dict[str, str]:
    return {"python": platform.python_version(), "numpy": np.__version__, **extra}


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(target: Path, payload: bytes) -> None:
    """Replace ``target`` with ``payload`` so a crash leaves the old or the new file, never half."""
    replace_atomically(target, lambda path: path.write_bytes(payload))


def replace_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Replace ``target`` with what ``write(temp_path)`` writes: temp file, fsync, rename, fsync.

    Large artifacts (an index of a million claims) are written by their library straight to the
    temp file, never held twice in memory as one bytes object.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    temp = Path(temp_name)
    try:
        write(temp)
        with temp.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_directory(target.parent)


def fsync_directory(directory: Path) -> None:
    """Make renames and unlinks in ``directory`` durable."""
    _fsync_directory(directory)


def write_metadata(directory: Path, metadata: IndexMetadata) -> None:
    write_atomically(directory / METADATA_FILE, metadata.model_dump_json(indent=2).encode())


def read_metadata(directory: Path) -> IndexMetadata:
    path = directory / METADATA_FILE
    if not path.is_file():
        raise IndexMissingError(f"no index metadata at {path}")
    try:
        metadata = IndexMetadata.model_validate_json(path.read_bytes())
    except (ValidationError, ValueError) as exc:
        raise IndexArtifactError(f"unreadable index metadata at {path}: {exc}") from exc
    if Path(metadata.file).name != metadata.file or not metadata.file:
        raise IndexArtifactError(f"index metadata at {path} names no file beside it")
    if metadata.format_version != FORMAT_VERSION:
        raise IndexArtifactError(
            f"index format {metadata.format_version}, expected {FORMAT_VERSION}"
        )
    return metadata


def now() -> datetime:
    return datetime.now(UTC)
