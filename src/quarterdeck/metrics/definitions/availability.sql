-- name: availability
-- title: Availability
-- description: Per group, period and kind of data: good / total. Event counts (kind
--   events: good and total requests or checks per window, counted by window start) or probe
--   intervals (kind probes: up seconds / observed seconds, cut at the window's edges). The
--   two kinds are never added together.
-- unit: share of good events or up-time
-- grain: group, period, kind (--grain week, month, quarter or window)
-- good_direction: up
-- value: availability
-- default_window_days: 28
-- parameters: since, until, grain, by, unit
-- groupings: service, team, unit, org
-- uses: service_teams, availability_inside, team_lineage, unit_scope, team_units, availability_groups
-- tile: reliability
-- tile_order: 10
-- tile_reduce: ratio
SELECT
    group_name AS "group",
    period_start,
    kind,
    sum(good) AS good,
    sum(total) AS total,
    sum(good) / nullif(sum(total), 0) AS availability
FROM availability_groups
GROUP BY ALL
ORDER BY "group", period_start, kind
