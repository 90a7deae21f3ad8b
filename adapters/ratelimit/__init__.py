"""Rate limiter adapters: in-process fixed windows."""
