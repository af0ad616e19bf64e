"""API keys with scopes, the open-mode rule, and rate limits: who may call the service."""
