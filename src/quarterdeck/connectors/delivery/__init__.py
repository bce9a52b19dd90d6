"""Delivery and reliability files: deployments, incidents, CI runs, availability, SLOs."""
