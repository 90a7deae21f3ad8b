"""Rate limiter adapters: in-process fixed windows, and Redis windows shared by every process."""
