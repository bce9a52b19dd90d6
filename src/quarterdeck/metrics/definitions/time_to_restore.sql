-- name: time_to_restore
-- title: Time to restore service
-- description: Incidents created in the period: created -> resolved, in hours, over the
--   resolved ones (median interpolated, p75, p90, mean); open counts those not resolved yet.
-- unit: hours
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: median_hours
-- default_window_days: 84
-- parameters: since, until, grain, by, unit
-- groupings: org, team, unit, service
-- uses: delivery_periods, service_teams, team_lineage, unit_scope, team_units, incident_groups, restore_times
-- arguments: started = created_at; kept = true
-- tile: delivery
-- tile_order: 40
SELECT
    "group",
    period_start,
    incidents,
    resolved,
    incidents - resolved AS open,
    median_hours,
    p75_hours,
    p90_hours,
    mean_hours
FROM restore_times
ORDER BY "group", period_start
