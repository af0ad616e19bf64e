"""The GraphQL schema, composed from per-domain query and mutation types."""
