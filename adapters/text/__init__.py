"""Text analysis adapters (stemming)."""
