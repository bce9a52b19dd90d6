-- name: burn_multiple
-- title: Burn multiple
-- description: Net burn divided by net new ARR over the period (how much cash each new
--   unit of ARR cost; below 1 is excellent, above 2 a worry). net_new_arr: ARR at the
--   period's end minus ARR at the end of the month before it, month by month in each
--   currency. Empty, with status saying why, when the company is not burning cash (net
--   burn 0 or less) or ARR did not grow (net new ARR 0 or less): a division by zero or a
--   negative multiple would read as a good one (decision 0051).
-- unit: multiple
-- grain: period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: down
-- value: burn_multiple
-- default_window_days: 365
-- parameters: since, until, grain, by, currency
-- groupings: org
-- uses: reporting_rates, money_months, company_months, company_periods
-- tile: money
-- tile_order: 40
SELECT
    'organization' AS "group",
    period_start,
    months,
    round(net_burn, 2) AS net_burn,
    round(net_new_arr, 2) AS net_new_arr,
    CASE WHEN net_burn > 0 AND net_new_arr > 0 THEN round(net_burn / net_new_arr, 4) END AS burn_multiple,
    CASE
        WHEN months = 0 THEN 'no figures'
        WHEN net_burn IS NULL OR net_new_arr IS NULL THEN 'no figures for the month before'
        WHEN net_burn <= 0 THEN 'not burning'
        WHEN net_new_arr <= 0 THEN 'ARR did not grow'
        ELSE 'burning'
    END AS status
FROM company_periods
ORDER BY period_start
