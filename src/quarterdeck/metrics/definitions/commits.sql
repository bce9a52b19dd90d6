-- name: commits
-- title: Commits per week
-- description: Non-merge commits authored each week (Monday start, organization time zone),
--   reachable from the ingested refs. Merges are counted apart in the merges column, since
--   they carry no change of their own. Bots are excluded unless --include-bots. With
--   --by team (or unit, org) or --unit: one row per group and week instead, each commit
--   counted for its author's team at its author time; '(unmatched)' and '(no team)' hold
--   the commits with no team, so the groups of --by team add up to the organization.
-- unit: commits
-- grain: repository, week (group, week with --by)
-- good_direction: neither
-- value: commits
-- default_window_days: 84
-- parameters: repositories, since, until, include_bots, by, unit
-- groupings: org, team, unit
-- uses: team_lineage, owner_scope, scoped_repositories, window_weeks, window_commits
WITH weekly AS (
    SELECT
        repository_id,
        CAST(date_trunc('week', author_local_time) AS DATE) AS week_start,
        count(*) AS commits,
        count(DISTINCT author_identity_id) AS authors
    FROM window_commits
    GROUP BY ALL
),
weekly_merges AS (
    SELECT
        c.repository_id,
        CAST(date_trunc('week', timezone($timezone, c.author_time)) AS DATE) AS week_start,
        count(*) AS merges
    FROM commits AS c
    LEFT JOIN identities AS i ON i.identity_id = c.author_identity_id
    WHERE c.reachable AND c.is_merge
      AND c.author_time >= $since AND c.author_time < $until_end
      AND ($include_bots OR NOT coalesce(i.is_bot, false))
    GROUP BY ALL
)
SELECT
    r.repository,
    w.week_start,
    coalesce(k.commits, 0) AS commits,
    coalesce(k.authors, 0) AS authors,
    coalesce(m.merges, 0) AS merges
FROM scoped_repositories AS r
CROSS JOIN window_weeks AS w
LEFT JOIN weekly AS k ON k.repository_id = r.repository_id AND k.week_start = w.week_start
LEFT JOIN weekly_merges AS m ON m.repository_id = r.repository_id AND m.week_start = w.week_start
ORDER BY r.repository, w.week_start
