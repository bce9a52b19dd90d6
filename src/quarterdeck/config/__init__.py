"""Typed settings and their one resolution order."""

from quarterdeck.config.settings import Settings, load_settings

__all__ = ["Settings", "load_settings"]
