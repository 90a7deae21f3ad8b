"""Application-level errors that are not about the user's input."""

from __future__ import annotations


class TransientError(Exception):
    """A collaborator failed in a way that may pass (network, overload); the job may be retried."""
