"""Verdicts: which stored claims corroborate or contradict a claim, and what follows overall."""
