"""Claim matching: has this, or a part of it, been checked before? Lexical and vector search."""
