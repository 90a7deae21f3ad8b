"""Job queue adapters: in-process threads (embedded profile) and RQ on Redis (production)."""
