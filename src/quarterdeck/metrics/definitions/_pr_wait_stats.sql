-- fragment: pr_wait_stats
-- Per kind of pull request wait (pickup, review, ci), group and period: how many pull
-- requests waited, how many authors they had (the people behind the row), and the median (interpolated), p75, p90 and mean of their waits in hours;
-- every period of the window for every group that waited that way (none: 0 and no values).
-- A pull request's waits of one kind that ended in the window are summed (CI stretches), and
-- count in the period and the groups of the last one (with --by unit, a wait has a row for
-- each unit its author's team was in, so the waits are summed once each).
WITH totals AS (
    SELECT kind, item, max(ended_at) AS ended_at, sum(hours) AS hours
    FROM (
        SELECT DISTINCT kind, item, started_at, ended_at, hours
        FROM wait_groups
        WHERE kind IN ('pickup', 'review', 'ci')
    )
    GROUP BY kind, item
),
items AS (
    SELECT DISTINCT g.kind, g.item, g.waiter, g.group_name, g.period_start, t.hours
    FROM wait_groups AS g
    JOIN totals AS t ON t.kind = g.kind AND t.item = g.item AND t.ended_at = g.ended_at
),
stats AS (
    SELECT
        kind,
        group_name,
        period_start,
        count(*) AS pull_requests,
        count(DISTINCT waiter) AS authors,  -- people: one person's accounts count once
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
    coalesce(c.authors, 0) AS authors,
    c.quantiles[1] AS median_hours,
    c.quantiles[2] AS p75_hours,
    c.quantiles[3] AS p90_hours,
    c.mean_hours
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN stats AS c ON c.kind = s.kind AND c.group_name = s.group_name AND c.period_start = p.period_start
