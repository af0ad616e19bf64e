"""Sources: who asserts things (governments, agencies, outlets, people)."""
