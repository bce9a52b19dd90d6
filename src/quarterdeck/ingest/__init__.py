"""The loaders of the sources with a loading of their own (git history, the organization's
files, the delivery files, which the pipeline also uses for API delivery records), and the
linking of identities to people."""
