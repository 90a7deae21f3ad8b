"""Real-time event adapters: in-process (the embedded profile) and Redis pub/sub, around one hub."""
