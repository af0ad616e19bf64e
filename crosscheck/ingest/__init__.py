"""Ingest: loading sources and claims from files."""
