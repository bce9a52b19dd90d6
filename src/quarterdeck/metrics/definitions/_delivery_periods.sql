-- fragment: delivery_periods
-- Every period (--grain week, month or quarter; weeks start on Monday) that overlaps the
-- window, in the organization's time zone, with the number of its days inside the window.
SELECT
    CAST(p AS DATE) AS period_start,
    date_diff(
        'day',
        greatest(CAST(p AS DATE), CAST(timezone($timezone, $since) AS DATE)),
        least(
            CAST(p + CASE $grain WHEN 'week' THEN INTERVAL 7 DAY WHEN 'month' THEN INTERVAL 1 MONTH
                     ELSE INTERVAL 3 MONTH END AS DATE),
            CAST(timezone($timezone, $until_end) AS DATE)
        )
    ) AS days
FROM range(
    date_trunc($grain, timezone($timezone, $since)),
    timezone($timezone, $until_end),
    CASE $grain WHEN 'week' THEN INTERVAL 7 DAY WHEN 'month' THEN INTERVAL 1 MONTH ELSE INTERVAL 3 MONTH END
) AS t(p)
