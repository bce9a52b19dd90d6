-- fragment: restore_times
-- takes: started, kept
-- One row per group and period of incident_groups: the incidents kept (those where {kept}
-- holds; the metric's '-- arguments:'), how many of them are resolved, and {started} ->
-- resolved_at in hours over the resolved ones (median interpolated, p75, p90, mean). Every
-- group seen and every period, with 0 incidents where there were none. time_to_restore
-- (from created_at, every incident) and failed_deployment_recovery_time (from the
-- attributed deployment's finish) read it.
WITH seen AS (
    SELECT DISTINCT group_name FROM incident_groups
    UNION SELECT 'organization' WHERE $by = 'org'
),
spans AS (
    SELECT group_name, period_start, resolved_at, (epoch(resolved_at) - epoch({started})) / 3600 AS hours
    FROM incident_groups
    WHERE {kept}
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
    c.quantiles[1] AS median_hours,
    c.quantiles[2] AS p75_hours,
    c.quantiles[3] AS p90_hours,
    c.mean_hours
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN stats AS c ON c.group_name = s.group_name AND c.period_start = p.period_start
