"""Rules of the form family (being written)."""
