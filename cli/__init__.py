"""The ``crosscheck`` command line: an edge beside the HTTP API, over the same domain services."""
