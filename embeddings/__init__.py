"""Text to vectors (``encoders``) and vectors to neighbours (``ann``), each one contract with an
engine per file behind a factory."""
