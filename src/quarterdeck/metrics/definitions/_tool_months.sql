-- fragment: tool_months
-- Each stored tool contract (tool_spend: the current list; the export gives no start, so a
-- contract counts in every month of the window, decision 0052) month by month: a twelfth of
-- its annual cost, prorated by the month's days inside the window, in the reporting
-- currency at the month's rate (a currency without a rate is an error), with the period
-- and the group for --by (the organization, the owner team, or each unit it was in that
-- month: month_units; --unit keeps the tools of that unit's subtree).
WITH months AS (
    SELECT t.*, w.month, w.period_start, w.days, w.days_in_month
    FROM tool_spend AS t CROSS JOIN window_months AS w
),
converted AS (
    SELECT
        m.*,
        CASE WHEN r.rate IS NULL
            THEN error('no rate from ' || m.currency || ' to ' || $currency || ' for ' || strftime(m.month, '%Y-%m')
                       || ': import one with quarterdeck ingest rates FILE')
            ELSE CAST(m.annual_cost * r.rate AS DOUBLE) / 12 * m.days / m.days_in_month END AS monthly_cost
    FROM months AS m
    ASOF LEFT JOIN reporting_rates AS r ON r.currency = m.currency AND m.month >= r.month
)
SELECT
    c.*,
    CASE $by WHEN 'team' THEN c.team_id WHEN 'unit' THEN coalesce(u.unit_id, c.team_id) ELSE 'organization' END AS group_name
FROM converted AS c
LEFT JOIN month_units AS u ON u.team_id = c.team_id AND u.month = c.month
WHERE $unit = '' OR u.team_id IS NOT NULL
