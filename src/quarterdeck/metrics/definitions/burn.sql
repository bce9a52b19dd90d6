-- name: burn
-- title: Burn (gross burn)
-- description: Cash the company spent over the period, in the reporting currency: net
--   burn plus revenue (the cash that went out before revenue came in; finance's export
--   gives no cash receipts, so revenue stands for them). Summed over the period's months
--   with figures (months); empty when net burn is (a month whose month before has no
--   figures). monthly_burn = burn / months (decision 0051).
-- unit: reporting currency
-- grain: period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: down
-- value: burn
-- default_window_days: 365
-- parameters: since, until, grain, by, currency
-- groupings: org
-- uses: reporting_rates, money_months, company_months, company_periods
-- tile: money
-- tile_order: 10
SELECT
    'organization' AS "group",
    period_start,
    months,
    round(revenue, 2) AS revenue,
    round(net_burn, 2) AS net_burn,
    round(net_burn + revenue, 2) AS burn,
    round((net_burn + revenue) / nullif(months, 0), 2) AS monthly_burn
FROM company_periods
ORDER BY period_start
