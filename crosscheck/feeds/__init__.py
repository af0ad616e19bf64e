"""Feeds of what is newly stored: claims as they become searchable, for live subscribers."""
