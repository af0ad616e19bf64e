"""Claims written to the store and the index together, store first (the index is derived)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from crosscheck.claims import service as claim_service
from crosscheck.claims.models import Claim
from crosscheck.claims.schemas import ClaimCreate
from crosscheck.claims.service import StoredClaim
from crosscheck.indexing.service import ClaimIndex


def record_claim(
    *, session: Session, claim_index: ClaimIndex, claim_in: ClaimCreate
) -> StoredClaim:
    """Store the claim, commit, then index it; an existing claim is returned untouched."""
    stored = claim_service.create(session=session, claim_in=claim_in)
    session.commit()
    if stored.created:
        claim_index.add_texts([(stored.claim.id, stored.claim.text)])
    return stored


def forget_claim(*, session: Session, claim_index: ClaimIndex, claim_id: int) -> Claim:
    """Delete the claim, commit, then drop it from the index."""
    claim = claim_service.delete(session=session, claim_id=claim_id)
    session.commit()
    claim_index.remove([claim_id])
    return claim
