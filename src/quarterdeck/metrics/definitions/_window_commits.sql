-- fragment: window_commits
-- Commits that count as work in the window: reachable from the ingested refs, not merges,
-- authored between $since (inclusive) and $until_end (exclusive), in the repositories of
-- scoped_repositories, by people (bots only with --include-bots).
SELECT
    c.repository_id,
    r.repository,
    c.sha,
    c.author_identity_id,
    c.author_time,
    timezone($timezone, c.author_time) AS author_local_time
FROM commits AS c
JOIN scoped_repositories AS r ON r.repository_id = c.repository_id
LEFT JOIN identities AS i ON i.identity_id = c.author_identity_id
WHERE c.reachable
  AND NOT c.is_merge
  AND c.author_time >= $since
  AND c.author_time < $until_end
  AND ($include_bots OR NOT coalesce(i.is_bot, false))
