"""crosscheck: store attributed claims and verify them across sources."""

from __future__ import annotations

__version__ = "0.1.0"
