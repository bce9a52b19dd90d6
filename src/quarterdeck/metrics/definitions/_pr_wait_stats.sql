-- fragment: pr_wait_stats
-- Per kind of pull request wait (pickup, review, ci), group and period: how many pull
-- requests waited, and the median (interpolated), p75, p90 and mean of their waits in hours.
-- A pull request's waits of one kind that ended in the window are summed (CI stretches), and
-- count in the period and group of the last one.
WITH items AS (
    SELECT kind, item, arg_max(group_name, ended_at) AS group_name, arg_max(period_start, ended_at) AS period_start,
        sum(hours) AS hours
    FROM wait_groups
    WHERE kind IN ('pickup', 'review', 'ci')
    GROUP BY kind, item
)
SELECT
    kind,
    group_name,
    period_start,
    count(*) AS pull_requests,
    quantile_cont(hours, [0.5, 0.75, 0.9]) AS quantiles,  -- one sort for the three
    avg(hours) AS mean_hours
FROM items
GROUP BY ALL
