"""Running connectors: incremental state, normalization into canonical tables, identities."""
