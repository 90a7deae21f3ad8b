"""Prometheus metering wrappers around other ports' adapters (chosen by config/container.py)."""
