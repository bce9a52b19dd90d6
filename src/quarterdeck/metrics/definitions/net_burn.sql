-- name: net_burn
-- title: Net burn
-- description: Cash the company lost over the period, in the reporting currency: cash at
--   the end of the month before each month minus cash at the month's end, summed over the
--   period's months (company_finance, each currency converted at the month's rate). A
--   negative value: the company made cash. monthly_net_burn = net_burn / months.
--   burn_months < months: a month whose month before has no figures, so net_burn is
--   empty (decision 0051).
-- unit: reporting currency
-- grain: period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: down
-- value: net_burn
-- default_window_days: 365
-- parameters: since, until, grain, by, currency
-- groupings: org
-- uses: reporting_rates, money_months, company_months, company_periods
-- tile: money
-- tile_order: 20
SELECT
    'organization' AS "group",
    period_start,
    months,
    burn_months,
    round(net_burn, 2) AS net_burn,
    round(net_burn / nullif(months, 0), 2) AS monthly_net_burn,
    round(cash, 2) AS cash
FROM company_periods
ORDER BY period_start
