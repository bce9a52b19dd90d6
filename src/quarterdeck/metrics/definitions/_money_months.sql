-- fragment: money_months
-- The calendar months of the window and the period each belongs to (decision 0051): a
-- month is in the window when its first day is (a window from 15 January starts with
-- February), and in the period (--grain month: itself; quarter: its calendar quarter;
-- window: the whole window) that holds its first day. previous_month: the month before.
SELECT
    CAST(m AS DATE) AS month,
    CAST(m - INTERVAL 1 MONTH AS DATE) AS previous_month,
    CAST(time_bucket(CAST($period AS INTERVAL), CAST(m AS DATE), $period_origin) AS DATE) AS period_start
FROM range(
    CAST(date_trunc('month', CAST(timezone($timezone, $since) AS DATE)) AS TIMESTAMP),
    timezone($timezone, $until_end),
    INTERVAL 1 MONTH
) AS t(m)
WHERE CAST(m AS DATE) >= CAST(timezone($timezone, $since) AS DATE)
