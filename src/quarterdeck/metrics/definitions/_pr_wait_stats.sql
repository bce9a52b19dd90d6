-- fragment: pr_wait_stats
-- Per kind of pull request wait (pickup, review, ci), group and period: how many pull
-- requests waited, and the median (interpolated), p75, p90 and mean of their waits in hours;
-- every period of the window for every group that waited that way (none: 0 and no values).
-- A pull request's waits of one kind that ended in the window are summed (CI stretches), and
-- count in the period and group of the last one.
WITH items AS (
    SELECT kind, item, arg_max(group_name, ended_at) AS group_name, arg_max(period_start, ended_at) AS period_start,
        sum(hours) AS hours
    FROM wait_groups
    WHERE kind IN ('pickup', 'review', 'ci')
    GROUP BY kind, item
),
stats AS (
    SELECT
        kind,
        group_name,
        period_start,
        count(*) AS pull_requests,
        quantile_cont(hours, [0.5, 0.75, 0.9]) AS quantiles,  -- one sort for the three
        avg(hours) AS mean_hours
    FROM items
    GROUP BY ALL
),
seen AS (
    SELECT DISTINCT kind, group_name FROM stats
    UNION SELECT k, 'organization' FROM unnest(['pickup', 'review', 'ci']) AS t(k) WHERE $by = 'org'
)
SELECT
    s.kind,
    s.group_name AS "group",
    p.period_start,
    coalesce(c.pull_requests, 0) AS pull_requests,
    c.quantiles[1] AS median_hours,
    c.quantiles[2] AS p75_hours,
    c.quantiles[3] AS p90_hours,
    c.mean_hours
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN stats AS c ON c.kind = s.kind AND c.group_name = s.group_name AND c.period_start = p.period_start
