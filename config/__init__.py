"""Settings and the composition root: the only place that chooses adapters."""
