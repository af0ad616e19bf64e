"""How a source's statements on one subject changed over time, and which one is current."""
