-- name: tool_renewals
-- title: Tool renewals in the next 90 days
-- description: The tool contracts (tool_spend) whose renewal date falls in the 90 days
--   from the end of the data (the window's last day, that day included), soonest first,
--   with their owner team (or each unit it is in, or the organization, for --by), the
--   days left and the annual cost in the reporting currency (at the rate of the month the
--   data ends; a currency without a rate is an error) and as the export gives it.
-- unit: reporting currency per year
-- grain: group, contract (renewing within 90 days)
-- good_direction: neither
-- value: annual_cost
-- default_window_days: 1
-- parameters: until, by, unit, currency
-- groupings: team, unit, org
-- uses: reporting_rates, window_months, team_lineage, unit_scope, month_units
WITH ending AS (
    SELECT CAST(timezone($timezone, $until_end) AS DATE) - 1 AS last_day
),
due AS (
    SELECT t.*, e.last_day, CAST(date_trunc('month', e.last_day) AS DATE) AS month
    FROM tool_spend AS t CROSS JOIN ending AS e
    WHERE t.renewal_date BETWEEN e.last_day AND e.last_day + 90
),
converted AS (
    SELECT
        d.*,
        CASE WHEN r.rate IS NULL
            THEN error('no rate from ' || d.currency || ' to ' || $currency || ' for ' || strftime(d.month, '%Y-%m')
                       || ': import one with quarterdeck ingest rates FILE')
            ELSE CAST(d.annual_cost * r.rate AS DOUBLE) END AS reporting_cost
    FROM due AS d
    ASOF LEFT JOIN reporting_rates AS r ON r.currency = d.currency AND d.month >= r.month
)
SELECT
    CASE $by WHEN 'team' THEN c.team_id WHEN 'unit' THEN coalesce(u.unit_id, c.team_id) ELSE 'organization' END AS "group",
    c.vendor,
    c.product,
    c.team_id AS owner_team,
    c.renewal_date,
    date_diff('day', c.last_day, c.renewal_date) AS days_left,
    round(c.reporting_cost, 2) AS annual_cost,
    $currency AS currency,
    c.annual_cost AS contract_cost,
    c.currency AS contract_currency,
    c.seats_bought,
    c.seats_used
FROM converted AS c
LEFT JOIN month_units AS u ON u.team_id = c.team_id AND u.month = c.month
WHERE $unit = '' OR u.team_id IS NOT NULL
ORDER BY c.renewal_date, "group", c.vendor, c.product
