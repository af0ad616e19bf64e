"""The ``crosscheck`` command line."""
