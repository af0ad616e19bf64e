"""Where a process keeps its claim vectors, chosen by ``CROSSCHECK_VECTOR_BACKEND``.

The index itself knows how to open what is stored (``load``, failing with ``IndexArtifactError``
when it cannot be trusted), start empty (``create``) and make changes durable (``save``); this
module only maps the settings onto the factory.
"""

from __future__ import annotations

from crosscheck.settings import Settings
from embeddings.ann.base import VectorIndex
from embeddings.ann.factory import create_index_store
from embeddings.ann.faiss import IndexLayout


def index_backend(settings: Settings) -> VectorIndex:
    """The vector index ``settings`` select, not yet opened."""
    return create_index_store(
        backend=settings.vector_backend,
        directory=settings.index_dir,
        layout=index_layout(settings),
        url=settings.vector_url,
        ef_search=settings.pgvector_ef_search,
    )


def index_layout(settings: Settings) -> IndexLayout:
    """The FAISS index kinds and parameters the settings ask for."""
    return IndexLayout(
        kind=settings.index_kind,
        ivf_min_claims=settings.ivf_min_claims,
        nprobe=settings.ivf_nprobe,
    )
