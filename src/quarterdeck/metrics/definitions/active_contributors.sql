-- name: active_contributors
-- title: Active contributors
-- description: People who authored at least one non-merge commit in the period, across the
--   chosen repositories. One person is one identity (one e-mail address after .mailmap).
--   Bots are excluded unless --include-bots. Every period of the window is listed, with 0
--   where nobody committed. With --by team (or unit, org) or --unit: per group and
--   period, an author counting in the team they were on at each commit's author time.
-- unit: people
-- grain: period (--grain week, month, quarter or window); group, period with --by
-- good_direction: up
-- value: active_contributors
-- default_window_days: 182
-- parameters: repositories, since, until, grain, include_bots, by, unit
-- groupings: org, team, unit
-- uses: team_lineage, owner_scope, scoped_repositories, window_commits
WITH periods AS (
    SELECT CAST(p AS DATE) AS period_start
    FROM range(
        CAST(time_bucket($period, CAST(timezone($timezone, $since) AS DATE), $period_origin) AS TIMESTAMP),
        timezone($timezone, $until_end),
        CAST($period AS INTERVAL)
    ) AS t(p)
),
activity AS (
    SELECT
        time_bucket($period, CAST(author_local_time AS DATE), $period_origin) AS period_start,
        count(DISTINCT author_identity_id) AS active_contributors,
        count(*) AS commits
    FROM window_commits
    GROUP BY 1
)
SELECT
    p.period_start,
    coalesce(a.active_contributors, 0) AS active_contributors,
    coalesce(a.commits, 0) AS commits
FROM periods AS p
LEFT JOIN activity AS a USING (period_start)
ORDER BY p.period_start
