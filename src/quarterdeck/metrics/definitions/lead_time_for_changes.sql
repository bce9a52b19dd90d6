-- name: lead_time_for_changes
-- title: Lead time for changes
-- description: Per change (a non-merge commit): its author date -> the finish of the first
--   successful production deployment that shipped it, in hours; counted in the period and
--   group of that deployment. Median (interpolated), p75, p90 and mean. What a deployment
--   shipped: the commits reachable from its commit and not from the previous successful
--   deployment of the same service, environment and repository (docs/delivery-inputs.md).
--   Negative spans are left out and listed by quarterdeck data-quality.
-- unit: hours
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: median_hours
-- default_window_days: 84
-- parameters: since, until, grain, by, unit, include_bots
-- groupings: org, team, unit, service, repository
-- uses: delivery_periods, service_teams, team_lineage, unit_scope, team_units, deployment_groups, change_groups
-- tile: delivery
-- tile_order: 20
WITH seen AS (
    SELECT DISTINCT group_name FROM deployment_groups
    UNION SELECT 'organization' WHERE $by = 'org'
),
stats AS (
    SELECT
        group_name,
        period_start,
        count(*) AS changes,
        quantile_cont(lead_time_hours, [0.5, 0.75, 0.9]) AS quantiles,  -- one sort for the three
        avg(lead_time_hours) AS mean_hours
    FROM change_groups
    GROUP BY ALL
)
SELECT
    s.group_name AS "group",
    p.period_start,
    coalesce(c.changes, 0) AS changes,
    c.quantiles[1] AS median_hours,
    c.quantiles[2] AS p75_hours,
    c.quantiles[3] AS p90_hours,
    c.mean_hours
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN stats AS c ON c.group_name = s.group_name AND c.period_start = p.period_start
ORDER BY "group", p.period_start
