-- name: engineer_month_cost
-- title: Cost of an engineer-month
-- description: What a month of an engineer costs the organization: the fully loaded cost of
--   its engineers (people whose role, or title when the export gives no role, is an engineer:
--   'Engineer', 'Senior Software Engineer', not 'Engineering Manager'; decision 0052), each
--   counted for the days employed (people_months: annual_cost x the location's loaded-cost
--   multiplier, converted at the month's rate, / 12, prorated by days), divided by the
--   engineer FTE-months of the engineers who have a cost in the export. Over the last 12
--   months of data by default (one period: --grain window). engineers_without_cost counts
--   those left out. The price of engineering time in build-vs-buy decisions (decision 0060).
--   In a row about fewer engineers than the minimum group size (default 5) the costs are
--   hidden.
-- unit: reporting currency per engineer FTE-month
-- grain: group, period (--grain window, quarter or month)
-- grains: window, quarter, month
-- good_direction: neither
-- value: engineer_month_cost
-- default_window_days: 365
-- parameters: since, until, grain, by, unit, currency
-- groupings: org, team, unit, level, location
-- group_size: engineers
-- private: engineer_cost, engineer_month_cost
-- personal_groupings: level, location
-- uses: reporting_rates, people_months, window_months, team_lineage, unit_scope, month_units, people_groups
SELECT
    group_name AS "group",
    period_start,
    count(DISTINCT person_id) AS engineers,
    round(sum(fte) FILTER (WHERE cost IS NOT NULL), 4) AS engineer_fte_months,
    round(sum(cost), 2) AS engineer_cost,
    round(sum(cost) / nullif(sum(fte) FILTER (WHERE cost IS NOT NULL), 0), 2) AS engineer_month_cost,
    count(DISTINCT person_id) FILTER (WHERE cost IS NULL) AS engineers_without_cost,
    $currency AS currency
FROM people_groups
WHERE is_engineer
GROUP BY ALL
ORDER BY period_start, "group"
