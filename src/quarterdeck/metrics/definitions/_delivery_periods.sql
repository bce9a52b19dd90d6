-- fragment: delivery_periods
-- Every period that overlaps the window, in the organization's time zone, with the number
-- of its days inside the window. A period is $period long (--grain week: 7 days from a
-- Monday, month: 1 month, quarter: 3 months from January, April, July or October; window:
-- the whole window, one period starting on its first day) and starts at $period_origin
-- plus a whole number of periods.
SELECT
    CAST(p AS DATE) AS period_start,
    date_diff(
        'day',
        greatest(CAST(p AS DATE), CAST(timezone($timezone, $since) AS DATE)),
        least(CAST(p + CAST($period AS INTERVAL) AS DATE), CAST(timezone($timezone, $until_end) AS DATE))
    ) AS days
FROM range(
    CAST(time_bucket($period, CAST(timezone($timezone, $since) AS DATE), $period_origin) AS TIMESTAMP),
    timezone($timezone, $until_end),
    CAST($period AS INTERVAL)
) AS t(p)
