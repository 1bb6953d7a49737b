"""Errors every backend raises, so callers catch one type whatever the backend."""

from __future__ import annotations


class GenerationError(RuntimeError):
    """A generation failed: bad model path, unreachable server, malformed reply, prompt too long."""


class BackendUnavailableError(GenerationError):
    """The backend's optional library is not installed; the message says how to install it."""
