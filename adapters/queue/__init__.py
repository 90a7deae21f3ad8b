"""Job queue adapters: in-process threads for the embedded profile."""
