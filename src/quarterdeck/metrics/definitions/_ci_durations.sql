-- fragment: ci_durations
-- takes: minutes
-- One row per group and period of ci_groups: the runs that have a {minutes} (a column of
-- ci_groups, in minutes: queue_minutes or run_minutes, the metric's '-- arguments:') and
-- its median (interpolated), p75, p90 and mean. Every group seen and every period, with
-- 0 runs where there were none. ci_queue_time and ci_run_time read it.
WITH seen AS (
    SELECT DISTINCT group_name FROM ci_groups
    UNION SELECT 'organization' WHERE $by = 'org'
),
stats AS (
    SELECT
        group_name,
        period_start,
        count({minutes}) AS runs,
        quantile_cont({minutes}, [0.5, 0.75, 0.9]) AS quantiles,  -- one sort for the three
        avg({minutes}) AS mean_minutes
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
