-- name: cac
-- title: Customer acquisition cost (CAC)
-- description: Sales and marketing spend divided by the customers won over the period
--   (both summed over its months with figures), in the reporting currency. Empty when no
--   customer was won: a division by zero, not a cost (decision 0051).
-- unit: reporting currency per customer
-- grain: period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: down
-- value: cac
-- default_window_days: 365
-- parameters: since, until, grain, by, currency
-- groupings: org
-- uses: reporting_rates, money_months, company_months, company_periods, unit_economics
-- tile: money
-- tile_order: 60
SELECT
    'organization' AS "group",
    period_start,
    months,
    round(sales_marketing_spend, 2) AS sales_marketing_spend,
    new_customers,
    round(cac, 2) AS cac
FROM unit_economics
ORDER BY period_start
