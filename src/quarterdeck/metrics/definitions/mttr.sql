-- name: mttr
-- title: Mean time to resolve
-- description: Incidents created in the period: the mean of created -> resolved, in hours,
--   over the resolved ones, with the median (interpolated) beside it; open counts those not
--   resolved yet.
-- unit: hours
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: mean_hours
-- default_window_days: 84
-- parameters: since, until, grain, by, unit
-- groupings: org, team, unit, service
-- uses: delivery_periods, service_teams, team_lineage, unit_scope, team_units, incident_groups
WITH seen AS (
    SELECT DISTINCT group_name FROM incident_groups
    UNION SELECT 'organization' WHERE $by = 'org'
),
stats AS (
    SELECT
        group_name,
        period_start,
        count(*) AS incidents,
        count(resolved_at) AS resolved,
        avg((epoch(resolved_at) - epoch(created_at)) / 3600) AS mean_hours,
        quantile_cont((epoch(resolved_at) - epoch(created_at)) / 3600, 0.5) AS median_hours
    FROM incident_groups
    GROUP BY ALL
)
SELECT
    s.group_name AS "group",
    p.period_start,
    coalesce(c.incidents, 0) AS incidents,
    coalesce(c.resolved, 0) AS resolved,
    coalesce(c.incidents - c.resolved, 0) AS open,
    c.mean_hours,
    c.median_hours
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN stats AS c ON c.group_name = s.group_name AND c.period_start = p.period_start
ORDER BY "group", p.period_start
