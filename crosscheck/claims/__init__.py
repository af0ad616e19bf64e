"""Claims: single statements, each attributed to the source that asserted it."""
