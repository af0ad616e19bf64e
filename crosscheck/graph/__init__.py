"""The stance graph: judged edges between stored claims of different sources, kept as data."""
