-- fragment: engineering_periods
-- Engineering (R&D) cost per period (decision 0051): the budget's actuals (budget_lines,
-- every team and category: finance's own books), each line converted to the reporting
-- currency at its month's rate (reporting_rates: a currency without a rate is an error).
-- A month counts when every one of its budget lines has an actual; a month without
-- budget lines or with a line still without actual is left out, never read as 0
-- (months_without_actuals counts the period's months left out, whatever the reason).
-- Only months that also have the company's figures (company_months) count: revenue and
-- ARR are over the same months. last_month: the last month counted; arr: ARR at its end.
WITH lines AS (
    SELECT b.month, b.actual, b.currency,
        CASE WHEN b.actual IS NOT NULL AND r.rate IS NULL
            THEN error('no rate from ' || b.currency || ' to ' || $currency || ' for ' || strftime(b.month, '%Y-%m')
                       || ': import one with quarterdeck ingest rates FILE')
            ELSE CAST(r.rate AS DOUBLE) END AS rate
    FROM budget_lines AS b
    ASOF LEFT JOIN reporting_rates AS r ON r.currency = b.currency AND b.month >= r.month
    WHERE b.month IN (SELECT month FROM money_months)
),
actual_months AS (
    SELECT month, sum(actual * rate) AS engineering_cost
    FROM lines
    GROUP BY month
    HAVING count(*) = count(actual)
),
counted AS (
    SELECT w.period_start, w.month, a.engineering_cost, c.revenue, c.arr
    FROM money_months AS w
    JOIN actual_months AS a ON a.month = w.month
    JOIN company_months AS c ON c.month = w.month
),
periods AS (
    SELECT period_start, count(*) AS window_months FROM money_months GROUP BY period_start
)
SELECT
    p.period_start,
    count(c.month) AS months,
    p.window_months - count(c.month) AS months_without_actuals,
    max(c.month) AS last_month,
    CAST(sum(c.engineering_cost) AS DOUBLE) AS engineering_cost,
    sum(c.revenue) AS revenue,
    arg_max(c.arr, c.month) AS arr
FROM periods AS p
LEFT JOIN counted AS c ON c.period_start = p.period_start
GROUP BY p.period_start, p.window_months
