-- name: ci_run_time
-- title: CI run time
-- description: CI runs queued (else started) in the period: started -> finished, in minutes, over
--   the runs that have both times (median interpolated, p75, p90, mean).
-- unit: minutes
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: median_minutes
-- default_window_days: 28
-- parameters: since, until, grain, by, unit
-- groupings: org, repository, workflow, team, unit
-- uses: delivery_periods, team_lineage, unit_scope, team_units, ci_groups
WITH seen AS (
    SELECT DISTINCT group_name FROM ci_groups
    UNION SELECT 'organization' WHERE $by = 'org'
),
stats AS (
    SELECT
        group_name,
        period_start,
        count(run_minutes) AS runs,
        quantile_cont(run_minutes, [0.5, 0.75, 0.9]) AS quantiles,  -- one sort for the three
        avg(run_minutes) AS mean_minutes
    FROM ci_groups
    GROUP BY ALL
)
SELECT
    s.group_name AS "group",
    p.period_start,
    coalesce(c.runs, 0) AS runs,
    c.quantiles[1] AS median_minutes,
    c.quantiles[2] AS p75_minutes,
    c.quantiles[3] AS p90_minutes,
    c.mean_minutes
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN stats AS c ON c.group_name = s.group_name AND c.period_start = p.period_start
ORDER BY "group", p.period_start
