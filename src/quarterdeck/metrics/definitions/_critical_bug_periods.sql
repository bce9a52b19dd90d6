-- fragment: critical_bug_periods
-- Each critical bug in each period it counts in, by kind:
--   open   open at the period's end (created before it, not resolved by then), with its age
--          then in days; day: the period's last day (organization time zone);
--   found  created in the period (within the window); day: the day it was created.
WITH period_ends AS (
    SELECT
        period_start,
        greatest(timezone($timezone, CAST(period_start AS TIMESTAMP)), $since) AS period_opens,
        least(
            timezone($timezone, CAST(period_start AS TIMESTAMP) + CAST($period AS INTERVAL)),
            $until_end
        ) AS period_end
    FROM delivery_periods
)
SELECT
    b.*,
    e.period_start,
    'open' AS kind,
    (epoch(e.period_end) - epoch(b.created_at)) / 86400 AS age_days,
    CAST(timezone($timezone, e.period_end) AS DATE) - 1 AS day
FROM critical_bugs AS b
JOIN period_ends AS e ON b.created_at < e.period_end AND (b.resolved_at IS NULL OR b.resolved_at >= e.period_end)
UNION ALL
SELECT b.*, e.period_start, 'found', NULL, CAST(timezone($timezone, b.created_at) AS DATE)
FROM critical_bugs AS b
JOIN period_ends AS e ON b.created_at >= e.period_opens AND b.created_at < e.period_end
