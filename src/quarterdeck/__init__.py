"""Quarterdeck: the command deck of an engineering organization."""

__version__ = "0.1.0"
