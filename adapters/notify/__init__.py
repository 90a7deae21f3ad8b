"""Notifier adapters: structured log lines (the embedded profile has no push channel)."""
