-- name: merge_to_deploy_time
-- title: Merge to deploy time
-- description: For each commit that landed on the deployed line (the first-parent line of
--   a deployed commit: a merge, a squash, a direct push), its commit time -> the finish of
--   the first successful production deployment that shipped it, in hours; counted in the
--   period and group of that deployment (median interpolated, p75, p90, mean).
-- unit: hours
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: median_hours
-- default_window_days: 84
-- parameters: since, until, grain, by, unit
-- groupings: org, team, unit, service, repository
-- uses: delivery_periods, service_teams, team_lineage, unit_scope, team_units, deployment_groups
WITH landed AS (
    SELECT DISTINCT g.group_name, g.period_start, c.repository_id, c.sha,
        (epoch(g.finished_at) - epoch(k.committer_time)) / 3600 AS hours
    FROM change_deployments AS c
    JOIN deployment_commits AS dc
      ON dc.deployment_id = c.deployment_id AND dc.repository_id = c.repository_id AND dc.sha = c.sha
    JOIN commits AS k ON k.repository_id = c.repository_id AND k.sha = c.sha
    JOIN deployment_groups AS g ON g.deployment_id = c.deployment_id
    WHERE dc.on_first_parent AND k.committer_time <= g.finished_at
),
seen AS (
    SELECT DISTINCT group_name FROM deployment_groups
    UNION SELECT 'organization' WHERE $by = 'org'
),
stats AS (
    SELECT
        group_name,
        period_start,
        count(*) AS merges,
        quantile_cont(hours, [0.5, 0.75, 0.9]) AS quantiles,  -- one sort for the three
        avg(hours) AS mean_hours
    FROM landed
    GROUP BY ALL
)
SELECT
    s.group_name AS "group",
    p.period_start,
    coalesce(c.merges, 0) AS merges,
    c.quantiles[1] AS median_hours,
    c.quantiles[2] AS p75_hours,
    c.quantiles[3] AS p90_hours,
    c.mean_hours
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN stats AS c ON c.group_name = s.group_name AND c.period_start = p.period_start
ORDER BY "group", p.period_start
