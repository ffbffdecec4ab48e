"""Rules of the performance family (being written)."""
