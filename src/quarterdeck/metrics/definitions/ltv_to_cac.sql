-- name: ltv_to_cac
-- title: LTV to CAC
-- description: Customer lifetime value divided by customer acquisition cost over the
--   period (metrics ltv and cac; 3 or more is the usual target). Empty when either is
--   empty (no customer lost, none won) or CAC is 0 (nothing spent on sales and
--   marketing): a division by zero, never an infinite ratio (decision 0051).
-- unit: ratio
-- grain: period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: up
-- value: ltv_to_cac
-- default_window_days: 365
-- parameters: since, until, grain, by, currency
-- groupings: org
-- uses: reporting_rates, money_months, company_months, company_periods, unit_economics
-- tile: money
-- tile_order: 50
SELECT
    'organization' AS "group",
    period_start,
    months,
    round(ltv, 2) AS ltv,
    round(cac, 2) AS cac,
    round(ltv / nullif(cac, 0), 4) AS ltv_to_cac
FROM unit_economics
ORDER BY period_start
