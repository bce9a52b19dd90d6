-- fragment: availability_inside
-- Availability data inside the window: event counts whose window starts in it, and probe
-- intervals overlapping it, cut at its edges (good and total scaled by the share of the
-- interval inside; window_start moved to the window's start when the interval began
-- before it).
SELECT
    a.service,
    a.kind,
    greatest(a.window_start, $since) AS window_start,
    CASE WHEN a.kind = 'events' THEN 1.0
         ELSE epoch(least(a.window_end, $until_end) - greatest(a.window_start, $since))
              / nullif(epoch(a.window_end - a.window_start), 0)
    END AS share,
    a.good,
    a.total
FROM availability_windows AS a
WHERE (a.kind = 'events' AND a.window_start >= $since AND a.window_start < $until_end)
   OR (a.kind = 'probes' AND a.window_end > $since AND a.window_start < $until_end)
