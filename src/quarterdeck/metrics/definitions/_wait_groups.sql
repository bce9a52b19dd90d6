-- fragment: wait_groups
-- The waits of wait_intervals that ended in the window, each with its length in hours, the
-- day it ended (organization time zone), its period, and the group its author counted in
-- that day (wait_teams).
SELECT
    w.*,
    (epoch(w.ended_at) - epoch(w.started_at)) / 3600 AS hours,
    t.day,
    time_bucket($period, CAST(t.day AS DATE), $period_origin) AS period_start,
    t.group_name
FROM wait_intervals AS w
JOIN wait_teams AS t
  ON t.waiter = w.waiter AND t.day = CAST(timezone($timezone, w.ended_at) AS DATE)
WHERE w.ended_at >= $since AND w.ended_at < $until_end
