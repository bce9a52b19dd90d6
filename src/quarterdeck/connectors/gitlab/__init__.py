"""GitLab's REST API v4 (gitlab.com, or a self-managed GitLab through its base URL): merge
requests with their notes, approvals and commits; pipelines and their jobs; deployments."""
