-- name: mtta
-- title: Mean time to acknowledge
-- description: Incidents created in the period: the mean of created -> acknowledged, in
--   minutes, over the acknowledged ones, with the median (interpolated) beside it.
-- unit: minutes
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: mean_minutes
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
        count(acknowledged_at) AS acknowledged,
        avg((epoch(acknowledged_at) - epoch(created_at)) / 60) AS mean_minutes,
        quantile_cont((epoch(acknowledged_at) - epoch(created_at)) / 60, 0.5) AS median_minutes
    FROM incident_groups
    GROUP BY ALL
)
SELECT
    s.group_name AS "group",
    p.period_start,
    coalesce(c.incidents, 0) AS incidents,
    coalesce(c.acknowledged, 0) AS acknowledged,
    c.mean_minutes,
    c.median_minutes
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN stats AS c ON c.group_name = s.group_name AND c.period_start = p.period_start
ORDER BY "group", p.period_start
