-- name: pr_review_time
-- title: Pull request review time
-- description: For each pull (merge) request by a human author: from its first review by someone
--   else (bots excluded) to its first approval after it, or its merge if sooner, in hours;
--   counted in the period the review ended and the group of its author then (median
--   interpolated, p75, p90, mean).
-- unit: hours
-- grain: group, period (--grain week, month or quarter)
-- good_direction: down
-- value: median_hours
-- default_window_days: 84
-- parameters: since, until, grain, by
-- groupings: team, org
-- uses: delivery_periods, pr_timeline, wait_intervals, wait_teams, wait_groups, pr_wait_stats
WITH stats AS (
    SELECT * FROM pr_wait_stats WHERE kind = 'review'
),
seen AS (
    SELECT DISTINCT group_name FROM stats
    UNION SELECT 'organization' WHERE $by = 'org'
)
SELECT
    s.group_name AS "group",
    p.period_start,
    coalesce(c.pull_requests, 0) AS pull_requests,
    c.quantiles[1] AS median_hours,
    c.quantiles[2] AS p75_hours,
    c.quantiles[3] AS p90_hours,
    c.mean_hours
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN stats AS c ON c.group_name = s.group_name AND c.period_start = p.period_start
ORDER BY "group", p.period_start
