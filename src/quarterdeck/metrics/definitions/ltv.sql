-- name: ltv
-- title: Customer lifetime value (LTV)
-- description: ARPA x gross margin / churn rate over the period, in the reporting
--   currency. arpa: revenue / customers at the period's end; gross_margin: gross profit /
--   revenue; customers_lost: customers at the start + customers won - customers at the
--   end; churn_rate: customers_lost / customers at the start. Empty when no customer was
--   lost (a churn of 0 gives no end to a lifetime: an infinite value is no number), when
--   the counts say more customers came than were won (churn below 0), or when there were
--   no customers at the start or the end (decision 0051).
-- unit: reporting currency per customer
-- grain: period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: up
-- value: ltv
-- default_window_days: 365
-- parameters: since, until, grain, by, currency
-- groupings: org
-- uses: reporting_rates, money_months, company_months, company_periods, unit_economics
SELECT
    'organization' AS "group",
    period_start,
    months,
    round(revenue, 2) AS revenue,
    customers_at_start,
    new_customers,
    customers,
    customers_lost,
    round(arpa, 2) AS arpa,
    round(gross_margin, 4) AS gross_margin,
    round(churn_rate, 6) AS churn_rate,
    round(ltv, 2) AS ltv
FROM unit_economics
ORDER BY period_start
