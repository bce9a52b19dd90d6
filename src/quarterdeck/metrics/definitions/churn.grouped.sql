-- grouped: churn
-- churn with --by org, team or unit (or --unit): one row per group and week, over all the
-- repositories in scope. Each commit's lines count for its author's team at its author
-- time (commit_teams).
-- uses: window_weeks, commit_teams, commit_units, commit_groups
WITH weekly AS (
    SELECT
        g.group_name,
        CAST(date_trunc('week', g.author_local_time) AS DATE) AS week_start,
        sum(coalesce(f.lines_added, 0)) AS lines_added,
        sum(coalesce(f.lines_deleted, 0)) AS lines_deleted,
        count(f.path) AS files_changed
    FROM commit_groups AS g
    JOIN commit_files AS f ON f.repository_id = g.repository_id AND f.commit_sha = g.sha
    WHERE NOT g.is_merge
    GROUP BY ALL
),
seen AS (
    SELECT DISTINCT group_name FROM commit_groups WHERE NOT is_merge
)
SELECT
    g.group_name AS "group",
    k.week_start,
    coalesce(c.lines_added, 0) + coalesce(c.lines_deleted, 0) AS churn,
    coalesce(c.lines_added, 0) AS lines_added,
    coalesce(c.lines_deleted, 0) AS lines_deleted,
    coalesce(c.files_changed, 0) AS files_changed
FROM seen AS g
CROSS JOIN window_weeks AS k
LEFT JOIN weekly AS c ON c.group_name = g.group_name AND c.week_start = k.week_start
ORDER BY "group", k.week_start
