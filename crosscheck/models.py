"""Every ORM model, imported in one place so metadata (and Alembic) sees all tables."""

from __future__ import annotations

from crosscheck.access.models import ApiKey
from crosscheck.claims.models import Claim, ClaimReview
from crosscheck.database import Base
from crosscheck.documents.models import ClaimAppearance, Document
from crosscheck.graph.models import GraphedClaim, StanceEdge
from crosscheck.sources.models import Source, SourceAlias

__all__ = [
    "ApiKey",
    "Base",
    "Claim",
    "ClaimAppearance",
    "ClaimReview",
    "Document",
    "GraphedClaim",
    "Source",
    "SourceAlias",
    "StanceEdge",
]
