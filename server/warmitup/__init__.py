"""Warm It Up: turns a terse support draft into a warm, specific reply, locally."""

__version__ = "0.1.0"

from .app import create_app  # noqa: E402

__all__ = ["create_app", "__version__"]
