-- name: ci_failure_rate
-- title: CI failure rate
-- description: CI runs queued (else started) in the period: failed / (succeeded + failed).
--   Cancelled and skipped runs are counted apart and left out of the rate.
-- unit: share of finished runs
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: failure_rate
-- default_window_days: 28
-- parameters: since, until, grain, by, unit
-- groupings: org, repository, workflow, team, unit
-- uses: delivery_periods, team_lineage, unit_scope, team_units, ci_groups
WITH seen AS (
    SELECT DISTINCT group_name FROM ci_groups
    UNION SELECT 'organization' WHERE $by = 'org'
),
counted AS (
    SELECT
        group_name,
        period_start,
        count(*) FILTER (WHERE result = 'success') AS succeeded,
        count(*) FILTER (WHERE result = 'failure') AS failed,
        count(*) FILTER (WHERE result = 'cancelled') AS cancelled,
        count(*) FILTER (WHERE result = 'skipped') AS skipped
    FROM ci_groups
    GROUP BY ALL
)
SELECT
    s.group_name AS "group",
    p.period_start,
    coalesce(c.succeeded, 0) AS succeeded,
    coalesce(c.failed, 0) AS failed,
    coalesce(c.cancelled, 0) AS cancelled,
    coalesce(c.skipped, 0) AS skipped,
    c.failed / nullif(c.succeeded + c.failed, 0) AS failure_rate
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN counted AS c ON c.group_name = s.group_name AND c.period_start = p.period_start
ORDER BY "group", p.period_start
