"""Shared foundations: errors, clock and small types. Imports nothing else of Quarterdeck."""
