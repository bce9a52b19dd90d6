-- name: budget_spent
-- title: Budget spent
-- description: Test-only money metric: the actual amounts of the budget lines per group
--   and period, each converted to the reporting currency at its month's rate (no rate:
--   an error naming the currency and the month).
-- unit: currency
-- grain: group, period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: down
-- value: spent
-- default_window_days: 365
-- parameters: since, until, grain, by, unit, currency
-- groupings: org, team, unit
-- uses: team_lineage, unit_scope, team_units, reporting_rates
-- tile: money
-- tile_order: 10
-- tile_title: Budget spent
WITH lines AS (
    SELECT
        b.month,
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
),
converted AS (
    SELECT
        l.group_name,
        l.period_start,
        CASE WHEN r.rate IS NULL
             THEN error('no rate from ' || l.currency || ' to ' || $currency || ' for ' || strftime(l.month, '%Y-%m')
                        || ': import one with quarterdeck ingest rates FILE')
             ELSE CAST(l.actual AS DOUBLE) * r.rate END AS amount
    FROM lines AS l
    ASOF LEFT JOIN reporting_rates AS r ON r.currency = l.currency AND l.month >= r.month
)
SELECT group_name AS "group", period_start, count(*) AS lines, sum(amount) AS spent
FROM converted
GROUP BY group_name, period_start
ORDER BY "group", period_start
