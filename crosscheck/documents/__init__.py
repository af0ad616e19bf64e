"""Documents: the articles and releases that claims are taken from."""
