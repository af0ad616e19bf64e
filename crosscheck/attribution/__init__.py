"""Attribution: who asserted each statement of a document, and who merely relayed it."""
