-- grouped: commits
-- commits with --by org, team or unit (or --unit): one row per group and week, over all
-- the repositories in scope. Each commit counts for its author's team at its author time
-- (commit_teams); merges likewise, in the merges column.
-- uses: window_weeks, commit_teams, commit_units, commit_groups
WITH weekly AS (
    SELECT
        group_name,
        CAST(date_trunc('week', author_local_time) AS DATE) AS week_start,
        count(*) FILTER (WHERE NOT is_merge) AS commits,
        count(DISTINCT author_identity_id) FILTER (WHERE NOT is_merge) AS authors,
        count(*) FILTER (WHERE is_merge) AS merges
    FROM commit_groups
    GROUP BY ALL
),
seen AS (
    SELECT DISTINCT group_name FROM commit_groups
)
SELECT
    g.group_name AS "group",
    w.week_start,
    coalesce(k.commits, 0) AS commits,
    coalesce(k.authors, 0) AS authors,
    coalesce(k.merges, 0) AS merges
FROM seen AS g
CROSS JOIN window_weeks AS w
LEFT JOIN weekly AS k ON k.group_name = g.group_name AND k.week_start = w.week_start
ORDER BY "group", w.week_start
