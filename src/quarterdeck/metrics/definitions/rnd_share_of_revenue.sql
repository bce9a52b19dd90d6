-- name: rnd_share_of_revenue
-- title: R&D share of revenue
-- description: Engineering (R&D) cost divided by revenue over the period's months that
--   have both the budget's actuals (every line of the month: the budget's actual,
--   converted to the reporting currency) and the company's figures. A month without
--   actuals is left out, never counted as 0: months_without_actuals says how many. Empty
--   when no month counts or revenue is 0 (a division by zero; decision 0051).
-- unit: share of revenue
-- grain: period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: neither
-- value: rnd_share_of_revenue
-- default_window_days: 365
-- parameters: since, until, grain, by, currency
-- groupings: org
-- uses: reporting_rates, money_months, company_months, engineering_periods
-- tile: money
-- tile_order: 70
SELECT
    'organization' AS "group",
    period_start,
    months,
    months_without_actuals,
    round(engineering_cost, 2) AS engineering_cost,
    round(revenue, 2) AS revenue,
    round(engineering_cost / nullif(revenue, 0), 6) AS rnd_share_of_revenue
FROM engineering_periods
ORDER BY period_start
