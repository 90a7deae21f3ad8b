"""System adapters: the wall clock."""
