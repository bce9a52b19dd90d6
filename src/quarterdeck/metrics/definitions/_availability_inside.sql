-- fragment: availability_inside
-- Availability data inside the window, summed per service, kind and day (organization time
-- zone) of each window's start: event counts whose window starts in the window, and probe
-- intervals overlapping it, cut at its edges (good and total scaled by the share of the
-- interval inside, counted on the window's first day when the interval began before it).
-- (Rows are first summed per quarter of an hour, whose local day is then found: converting
-- millions of instants to the local time zone one by one would cost more than the rest.)
SELECT
    service,
    kind,
    CAST(timezone($timezone, to_timestamp(quarter_hour * 900)) AS DATE) AS day,
    sum(good) AS good,
    sum(total) AS total
FROM (
SELECT
    service,
    kind,
    CAST(epoch(window_start) AS BIGINT) // 900 AS quarter_hour,
    sum(good * share) AS good,
    sum(total * share) AS total
FROM (
SELECT
    a.service,
    a.kind,
    greatest(a.window_start, $since) AS window_start,
    CASE WHEN a.kind = 'events' THEN 1.0
         ELSE (epoch(least(a.window_end, $until_end)) - epoch(greatest(a.window_start, $since)))
              / nullif((epoch(a.window_end) - epoch(a.window_start)), 0)
    END AS share,
    a.good,
    a.total
FROM availability_windows AS a
WHERE (a.kind = 'events' AND a.window_start >= $since AND a.window_start < $until_end)
   OR (a.kind = 'probes' AND a.window_end > $since AND a.window_start < $until_end)
) AS clipped
GROUP BY ALL
) AS quarter_hours
GROUP BY ALL
