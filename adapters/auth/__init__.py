"""Authentication adapters: password hashing."""
