-- fragment: company_periods
-- The company's figures per period (decision 0051), from company_months over the period's
-- months (money_months) that have figures (months counts them): flows are summed
-- (revenue, new customers, sales and marketing spend, gross profit, net burn, net new
-- ARR); stocks (cash, ARR, customers) are those at the end of the last month with figures
-- (last_month); customers_at_start are those at the end of the month before the period's
-- first month. net_burn and net_new_arr need every month with figures to have the month
-- before it too (else NULL: burn_months counts those that do).
WITH periods AS (
    SELECT period_start, min(month) AS first_month, max(month) AS last_window_month
    FROM money_months
    GROUP BY period_start
),
flows AS (
    SELECT
        w.period_start,
        count(c.month) AS months,
        max(c.month) AS last_month,
        sum(c.revenue) AS revenue,
        sum(c.new_customers) AS new_customers,
        sum(c.sales_marketing_spend) AS sales_marketing_spend,
        sum(c.gross_profit) AS gross_profit,
        count(c.net_burn) AS burn_months,
        CASE WHEN count(c.net_burn) = count(c.month) THEN sum(c.net_burn) END AS net_burn,
        CASE WHEN count(c.net_new_arr) = count(c.month) THEN sum(c.net_new_arr) END AS net_new_arr
    FROM money_months AS w
    LEFT JOIN company_months AS c ON c.month = w.month
    GROUP BY w.period_start
)
SELECT
    p.period_start,
    p.first_month,
    f.months,
    f.last_month,
    f.revenue,
    f.new_customers,
    f.sales_marketing_spend,
    f.gross_profit,
    f.burn_months,
    f.net_burn,
    f.net_new_arr,
    e.cash,
    e.arr,
    e.customers,
    s.customers AS customers_at_start
FROM periods AS p
JOIN flows AS f ON f.period_start = p.period_start
LEFT JOIN company_months AS e ON e.month = f.last_month
LEFT JOIN company_months AS s ON s.month = CAST(p.first_month - INTERVAL 1 MONTH AS DATE)
