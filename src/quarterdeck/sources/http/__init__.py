"""Talking to HTTP APIs: one client with retries and rate limits, and the ways APIs page."""
