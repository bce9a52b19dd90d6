-- name: company_revenue
-- title: Company revenue
-- description: Test-only money metric: the company's revenue per period, from the
--   finance export (a figure of the whole company: no team or unit).
-- unit: currency
-- grain: org, period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: up
-- value: revenue
-- default_window_days: 365
-- parameters: since, until, grain, by
-- groupings: org
-- tile: money
-- tile_order: 20
SELECT
    'organization' AS "group",
    time_bucket($period, month, $period_origin) AS period_start,
    sum(revenue) AS revenue
FROM company_finance
WHERE month >= CAST(timezone($timezone, $since) AS DATE) AND month < CAST(timezone($timezone, $until_end) AS DATE)
  AND $by = 'org'
GROUP BY ALL
ORDER BY period_start
