"""Text to vectors (encoders) and vectors to neighbours (index backends behind one contract)."""
