-- fragment: availability_groups
-- Availability windows in the window: event counts whose window starts in it, and probe
-- intervals overlapping it, cut at its edges (good and total scaled by the part inside).
-- Each with its period (organization time zone, by start) and group for --by: the
-- organization, the service, or the team owning the service that day.
WITH inside AS (
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
)
SELECT
    i.kind,
    i.good * i.share AS good,
    i.total * i.share AS total,
    CAST(date_trunc($grain, timezone($timezone, i.window_start)) AS DATE) AS period_start,
    CASE $by
        WHEN 'org' THEN 'organization'
        WHEN 'service' THEN i.service
        ELSE coalesce(t.team_id, '(no team)')
    END AS group_name
FROM inside AS i
LEFT JOIN service_teams AS t
  ON t.service_id = i.service
 AND (t.valid_from IS NULL OR t.valid_from <= CAST(timezone($timezone, i.window_start) AS DATE))
 AND (t.valid_to IS NULL OR t.valid_to > CAST(timezone($timezone, i.window_start) AS DATE))
