"""GitHub's REST API (github.com, or GitHub Enterprise Server through its base URL)."""
