"""Delivery shells: api, bot, cli, worker. They translate transport <-> use cases; no business rules."""
