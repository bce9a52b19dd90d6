-- grouped: active_contributors
-- active_contributors with --by org, team or unit (or --unit): one row per group and
-- period. An author counts in the group of their team at the time of each commit, so
-- someone who moved teams during a period is active in both teams that period (and once
-- in the organization).
-- uses: commit_teams, commit_units, commit_groups
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
        group_name,
        time_bucket($period, CAST(author_local_time AS DATE), $period_origin) AS period_start,
        count(DISTINCT author_identity_id) AS active_contributors,
        count(*) AS commits
    FROM commit_groups
    WHERE NOT is_merge
    GROUP BY ALL
),
seen AS (
    SELECT DISTINCT group_name FROM commit_groups WHERE NOT is_merge
)
SELECT
    g.group_name AS "group",
    p.period_start,
    coalesce(a.active_contributors, 0) AS active_contributors,
    coalesce(a.commits, 0) AS commits
FROM seen AS g
CROSS JOIN periods AS p
LEFT JOIN activity AS a ON a.group_name = g.group_name AND a.period_start = p.period_start
ORDER BY "group", p.period_start
