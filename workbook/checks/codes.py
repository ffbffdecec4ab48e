"""Rules of the codes family (being written)."""
