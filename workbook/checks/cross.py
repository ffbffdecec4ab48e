"""Rules of the cross family (being written)."""
