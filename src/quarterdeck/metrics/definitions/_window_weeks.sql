-- fragment: window_weeks
-- Every week (Monday start, in the organization's time zone) that overlaps the window.
SELECT CAST(week AS DATE) AS week_start
FROM range(
    date_trunc('week', timezone($timezone, $since)),
    timezone($timezone, $until_end),
    INTERVAL 1 WEEK
) AS t(week)
