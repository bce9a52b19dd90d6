-- fragment: incident_means
-- takes: ended, seconds
-- One row per group and period of incident_groups: the incidents, how many have an {ended}
-- (acknowledged_at or resolved_at, the metric's '-- arguments:'), and the mean and the
-- median (interpolated) of created -> {ended} over those, in units of {seconds} seconds (60:
-- minutes, 3600: hours). Every group seen and every period, with 0 incidents where there
-- were none. mtta and mttr read it.
WITH seen AS (
    SELECT DISTINCT group_name FROM incident_groups
    UNION SELECT 'organization' WHERE $by = 'org'
),
stats AS (
    SELECT
        group_name,
        period_start,
        count(*) AS incidents,
        count({ended}) AS ended,
        avg((epoch({ended}) - epoch(created_at)) / {seconds}) AS mean,
        quantile_cont((epoch({ended}) - epoch(created_at)) / {seconds}, 0.5) AS median
    FROM incident_groups
    GROUP BY ALL
)
SELECT
    s.group_name AS "group",
    p.period_start,
    coalesce(c.incidents, 0) AS incidents,
    coalesce(c.ended, 0) AS ended,
    c.mean,
    c.median
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN stats AS c ON c.group_name = s.group_name AND c.period_start = p.period_start
