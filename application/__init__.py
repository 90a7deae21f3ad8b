"""Use cases and the ports they need. Imports the domain, the standard library, attrs and structlog."""
