-- fragment: critical_bug_open
-- Per group and period: the critical bugs open at the period's end, and their median and
-- oldest age in days then. Every period of the window has a row for every group seen (0
-- open), and for the organization (--by org) once any tracker issue is stored: with no
-- tracker connected there are no rows, not zeros.
WITH seen AS (
    SELECT DISTINCT group_name FROM critical_bug_groups
    UNION SELECT 'organization' WHERE $by = 'org' AND EXISTS (SELECT 1 FROM issues)
),
stats AS (
    SELECT
        group_name,
        period_start,
        count(*) AS open,
        quantile_cont(age_days, 0.5) AS median_age_days,
        max(age_days) AS oldest_age_days
    FROM critical_bug_groups
    WHERE kind = 'open'
    GROUP BY ALL
)
SELECT
    s.group_name AS "group",
    p.period_start,
    coalesce(c.open, 0) AS open,
    c.median_age_days,
    c.oldest_age_days
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN stats AS c ON c.group_name = s.group_name AND c.period_start = p.period_start
