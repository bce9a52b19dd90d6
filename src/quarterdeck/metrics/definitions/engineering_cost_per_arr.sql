-- name: engineering_cost_per_arr
-- title: Engineering cost per dollar of ARR
-- description: What a year of engineering costs per unit of ARR (per dollar when the
--   reporting currency is USD): the engineering (R&D) cost of the period's months that
--   have both the budget's actuals and the company's figures, per month x 12
--   (annual_engineering_cost), divided by ARR at the end of the last of them. A month
--   without actuals is left out, never counted as 0 (months_without_actuals). Empty when
--   no month counts or ARR is 0 (a division by zero; decision 0051).
-- unit: ratio
-- grain: period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: down
-- value: engineering_cost_per_arr
-- default_window_days: 365
-- parameters: since, until, grain, by, currency
-- groupings: org
-- uses: reporting_rates, money_months, company_months, engineering_periods
-- tile: money
-- tile_order: 80
SELECT
    'organization' AS "group",
    period_start,
    months,
    months_without_actuals,
    last_month,
    round(engineering_cost, 2) AS engineering_cost,
    round(engineering_cost / nullif(months, 0) * 12, 2) AS annual_engineering_cost,
    round(arr, 2) AS arr,
    round(engineering_cost / nullif(months, 0) * 12 / nullif(arr, 0), 6) AS engineering_cost_per_arr
FROM engineering_periods
ORDER BY period_start
