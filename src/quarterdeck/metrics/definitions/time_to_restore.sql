-- name: time_to_restore
-- title: Time to restore service
-- description: Incidents created in the period: created -> resolved, in hours, over the
--   resolved ones (median interpolated, p75, p90, mean); open counts those not resolved yet.
-- unit: hours
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: median_hours
-- default_window_days: 84
-- parameters: since, until, grain, by, unit
-- groupings: org, team, unit, service
-- uses: delivery_periods, service_teams, team_lineage, unit_scope, team_units, incident_groups
-- tile: delivery
-- tile_order: 40
WITH seen AS (
    SELECT DISTINCT group_name FROM incident_groups
    UNION SELECT 'organization' WHERE $by = 'org'
),
spans AS (
    SELECT group_name, period_start, resolved_at, (epoch(resolved_at) - epoch(created_at)) / 3600 AS hours
    FROM incident_groups
),
stats AS (
    SELECT
        group_name,
        period_start,
        count(*) AS incidents,
        count(resolved_at) AS resolved,
        quantile_cont(hours, [0.5, 0.75, 0.9]) AS quantiles,  -- one sort for the three
        avg(hours) AS mean_hours
    FROM spans
    GROUP BY ALL
)
SELECT
    s.group_name AS "group",
    p.period_start,
    coalesce(c.incidents, 0) AS incidents,
    coalesce(c.resolved, 0) AS resolved,
    coalesce(c.incidents - c.resolved, 0) AS open,
    c.quantiles[1] AS median_hours,
    c.quantiles[2] AS p75_hours,
    c.quantiles[3] AS p90_hours,
    c.mean_hours
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN stats AS c ON c.group_name = s.group_name AND c.period_start = p.period_start
ORDER BY "group", p.period_start
