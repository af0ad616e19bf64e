"""Fact-checkers' reviews of claims (schema.org ClaimReview): stored ratings, import, export."""
