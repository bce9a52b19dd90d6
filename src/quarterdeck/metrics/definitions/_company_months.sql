-- fragment: company_months
-- The company's figures per month (company_finance), every currency converted to the
-- reporting currency ($currency) at the month's rate (reporting_rates; a currency without
-- a rate is an error naming it and the month, never a silent sum) and added up: each
-- currency line is one entity's figures (decision 0044). From three months before the
-- window's first month (runway averages the last three months) to the window's end.
-- gross_profit = revenue x gross margin, per line; the month's gross margin is
-- gross_profit / revenue (weighted by revenue when there are several lines).
-- net_burn: cash at the end of the month before minus cash at the month's end; net_new_arr:
-- ARR at the month's end minus ARR at the end of the month before; both per currency,
-- converted at this month's rate (a rate change is not burn), NULL when the month before
-- has no figures. A currency absent from one of the two months holds 0 there: an import
-- is the whole record of its months (decision 0042).
WITH lines AS (
    SELECT *
    FROM company_finance
    WHERE month >= CAST(date_trunc('month', CAST(timezone($timezone, $since) AS DATE)) - INTERVAL 4 MONTH AS DATE)
      AND month < CAST(timezone($timezone, $until_end) AS DATE)
),
months AS (
    SELECT DISTINCT month FROM lines
),
pairs AS (  -- each currency of a month or of the month before it, with both lines
    SELECT m.month, c.currency, cur.cash, cur.arr, prev.cash AS previous_cash, prev.arr AS previous_arr,
           CAST(m.month - INTERVAL 1 MONTH AS DATE) IN (SELECT month FROM months) AS has_previous
    FROM months AS m
    CROSS JOIN (SELECT DISTINCT currency FROM lines) AS c
    LEFT JOIN lines AS cur ON cur.month = m.month AND cur.currency = c.currency
    LEFT JOIN lines AS prev ON prev.month = CAST(m.month - INTERVAL 1 MONTH AS DATE) AND prev.currency = c.currency
    WHERE cur.month IS NOT NULL OR prev.month IS NOT NULL
),
rated AS (
    SELECT
        p.*,
        CASE WHEN r.rate IS NULL
            THEN error('no rate from ' || p.currency || ' to ' || $currency || ' for ' || strftime(p.month, '%Y-%m')
                       || ': import one with quarterdeck ingest rates FILE')
            ELSE CAST(r.rate AS DOUBLE) END AS rate
    FROM pairs AS p
    ASOF LEFT JOIN reporting_rates AS r ON r.currency = p.currency AND p.month >= r.month
),
converted AS (
    SELECT
        r.month,
        sum(l.revenue * r.rate) AS revenue,
        sum(l.arr * r.rate) AS arr,
        sum(l.new_customers) AS new_customers,
        sum(l.customers) AS customers,
        sum(l.sales_marketing_spend * r.rate) AS sales_marketing_spend,
        sum(l.revenue * l.gross_margin * r.rate) AS gross_profit,
        sum(l.cash * r.rate) AS cash,
        CASE WHEN bool_and(r.has_previous)
            THEN sum((coalesce(r.previous_cash, 0) - coalesce(r.cash, 0)) * r.rate) END AS net_burn,
        CASE WHEN bool_and(r.has_previous)
            THEN sum((coalesce(r.arr, 0) - coalesce(r.previous_arr, 0)) * r.rate) END AS net_new_arr
    FROM rated AS r
    LEFT JOIN lines AS l ON l.month = r.month AND l.currency = r.currency
    GROUP BY r.month
)
SELECT
    month,
    CAST(revenue AS DOUBLE) AS revenue,
    CAST(arr AS DOUBLE) AS arr,
    CAST(new_customers AS BIGINT) AS new_customers,
    CAST(customers AS BIGINT) AS customers,
    CAST(sales_marketing_spend AS DOUBLE) AS sales_marketing_spend,
    CAST(gross_profit AS DOUBLE) AS gross_profit,
    CAST(cash AS DOUBLE) AS cash,
    CAST(net_burn AS DOUBLE) AS net_burn,
    CAST(net_new_arr AS DOUBLE) AS net_new_arr
FROM converted
