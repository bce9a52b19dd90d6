-- fragment: window_months
-- The calendar months that overlap the window (organization time zone; month: its first
-- day), the period each counts in ($period from $period_origin: a month, a quarter, or the
-- whole window with --grain window), the days of the month inside the window and the days
-- of the month. An amount per month (a budget line, a twelfth of a tool's annual cost)
-- counts in its month's period.
SELECT
    CAST(t.m AS DATE) AS month,
    time_bucket($period, greatest(CAST(t.m AS DATE), w.first_day), $period_origin) AS period_start,
    date_diff('day', greatest(CAST(t.m AS DATE), w.first_day), least(CAST(t.m + INTERVAL 1 MONTH AS DATE), w.end_day)) AS days,
    date_diff('day', CAST(t.m AS DATE), CAST(t.m + INTERVAL 1 MONTH AS DATE)) AS days_in_month
FROM (
    SELECT CAST(timezone($timezone, $since) AS DATE) AS first_day, CAST(timezone($timezone, $until_end) AS DATE) AS end_day
) AS w,
range(CAST(date_trunc('month', w.first_day) AS TIMESTAMP), CAST(w.end_day AS TIMESTAMP), INTERVAL 1 MONTH) AS t(m)
