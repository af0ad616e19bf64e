"""REST routers under /v1, plus health checks."""
