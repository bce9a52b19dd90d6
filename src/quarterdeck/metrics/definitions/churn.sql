-- name: churn
-- title: Code churn per week
-- description: Lines added plus lines deleted by the non-merge commits authored each week,
--   as git log --numstat -M counts them (a rename counts only the lines that changed).
--   Binary files and files whose blobs are absent from a partial clone add no lines; they
--   are counted in files_changed. Bots are excluded unless --include-bots. With --by team
--   (or unit, org) or --unit: one row per group and week instead, each commit's lines
--   counted for its author's team at its author time ('(unmatched)', '(no team)').
-- unit: lines
-- grain: repository, week (group, week with --by)
-- good_direction: neither
-- value: churn
-- default_window_days: 84
-- parameters: repositories, since, until, include_bots, by, unit
-- groupings: org, team, unit
-- uses: team_lineage, owner_scope, scoped_repositories, window_weeks, window_commits
WITH weekly AS (
    SELECT
        w.repository_id,
        CAST(date_trunc('week', w.author_local_time) AS DATE) AS week_start,
        sum(coalesce(f.lines_added, 0)) AS lines_added,
        sum(coalesce(f.lines_deleted, 0)) AS lines_deleted,
        count(f.path) AS files_changed
    FROM window_commits AS w
    JOIN commit_files AS f ON f.repository_id = w.repository_id AND f.commit_sha = w.sha
    GROUP BY ALL
)
SELECT
    r.repository,
    k.week_start,
    coalesce(c.lines_added, 0) + coalesce(c.lines_deleted, 0) AS churn,
    coalesce(c.lines_added, 0) AS lines_added,
    coalesce(c.lines_deleted, 0) AS lines_deleted,
    coalesce(c.files_changed, 0) AS files_changed
FROM scoped_repositories AS r
CROSS JOIN window_weeks AS k
LEFT JOIN weekly AS c ON c.repository_id = r.repository_id AND c.week_start = k.week_start
ORDER BY r.repository, k.week_start
