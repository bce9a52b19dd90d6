-- name: budget_spent
-- title: Budget spent
-- description: Test-only money metric: the actual amounts of the budget lines per group
--   and period (one currency: two in one group and period is an error).
-- unit: currency
-- grain: group, period (--grain month, quarter or window)
-- good_direction: down
-- value: spent
-- default_window_days: 365
-- parameters: since, until, grain, by, unit
-- groupings: org, team, unit
-- uses: team_lineage, unit_scope, team_units
-- tile: money
-- tile_order: 10
-- tile_title: Budget spent
WITH lines AS (
    SELECT
        b.actual,
        b.currency,
        time_bucket($period, b.month, $period_origin) AS period_start,
        CASE $by WHEN 'org' THEN 'organization' WHEN 'unit' THEN u.unit_id ELSE b.team_id END AS group_name
    FROM budget_lines AS b
    LEFT JOIN team_units AS u
      ON ($by = 'unit' OR $unit <> '') AND u.team_id = b.team_id AND u.valid_from <= b.month AND u.valid_to > b.month
    WHERE b.actual IS NOT NULL
      AND b.month >= CAST(timezone($timezone, $since) AS DATE)
      AND b.month < CAST(timezone($timezone, $until_end) AS DATE)
      AND ($unit = '' OR u.team_id IS NOT NULL)
)
SELECT
    group_name AS "group",
    period_start,
    count(*) AS lines,
    CASE WHEN count(DISTINCT currency) > 1 THEN error('budget_spent: two currencies in ' || group_name)
         ELSE sum(actual) END AS spent,
    any_value(currency) AS currency
FROM lines
GROUP BY group_name, period_start
ORDER BY "group", period_start
