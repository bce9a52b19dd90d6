"""Readers for the files an organization already has: HR people exports, an org YAML file,
Backstage catalogs, CODEOWNERS and identity mappings. They yield typed records with the
file and line each came from, and never open the warehouse."""
