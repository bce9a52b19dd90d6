"""Reading a repository's technology stack from its files at HEAD (docs/tech-stack.md).

Pure functions over paths and file contents: which language a file is written in, which
dependencies a manifest declares and which versions its lock file resolves, which
frameworks those dependencies are, which CI and container files there are, and which
licences the repository and its dependencies say they carry. Running git to get the
contents is the ingest's (``ingest/stack_read.py``).
"""
