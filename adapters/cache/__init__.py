"""Cache adapters: an in-process TTL cache, Redis, and the two layered (L1 memory, L2 Redis)."""
