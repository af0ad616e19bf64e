"""Keeping the vector index in step with the claims in the database (the source of truth)."""
