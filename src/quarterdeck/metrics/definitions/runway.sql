-- name: runway
-- title: Runway
-- description: Months of cash left at the recent net burn, at the period's end: cash at
--   the end of the period's last month with figures (last_month) divided by the average
--   monthly net burn of the three months ending with it (average_net_burn; burn_months of
--   them had one: fewer when the figures start later, none gives no runway). When the
--   average is 0 or less the company is not burning cash: runway is empty and status says
--   "not burning" (a division by zero or a negative runway would read as none left).
-- unit: months
-- grain: period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: up
-- value: runway_months
-- default_window_days: 365
-- parameters: since, until, grain, by, currency
-- groupings: org
-- uses: reporting_rates, money_months, company_months, company_periods
-- tile: money
-- tile_order: 30
WITH recent AS (
    SELECT
        p.period_start,
        avg(c.net_burn) AS average_net_burn,
        count(c.net_burn) AS burn_months
    FROM company_periods AS p
    LEFT JOIN company_months AS c
        ON c.month BETWEEN CAST(p.last_month - INTERVAL 2 MONTH AS DATE) AND p.last_month
    GROUP BY p.period_start
)
SELECT
    'organization' AS "group",
    p.period_start,
    p.last_month,
    round(p.cash, 2) AS cash,
    round(r.average_net_burn, 2) AS average_net_burn,
    r.burn_months,
    CASE WHEN r.average_net_burn > 0 THEN round(p.cash / r.average_net_burn, 2) END AS runway_months,
    CASE
        WHEN p.last_month IS NULL THEN 'no figures'
        WHEN r.average_net_burn IS NULL THEN 'no net burn yet'
        WHEN r.average_net_burn <= 0 THEN 'not burning'
        ELSE 'burning'
    END AS status
FROM company_periods AS p
JOIN recent AS r ON r.period_start = p.period_start
ORDER BY p.period_start
