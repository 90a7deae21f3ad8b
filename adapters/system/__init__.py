"""System adapters: the wall clock, the request context (from the log context)."""
