"""Configuration errors: reported as one line naming the setting, then start-up stops."""

from __future__ import annotations


class ConfigError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
