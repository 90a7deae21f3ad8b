"""Cache adapters: an in-process TTL cache."""
