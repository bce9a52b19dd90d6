-- name: mttr
-- title: Mean time to resolve
-- description: Incidents created in the period: the mean of created -> resolved, in hours,
--   over the resolved ones, with the median (interpolated) beside it; open counts those not
--   resolved yet.
-- unit: hours
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: mean_hours
-- default_window_days: 84
-- parameters: since, until, grain, by, unit
-- groupings: org, team, unit, service
-- uses: delivery_periods, service_teams, team_lineage, unit_scope, team_units, incident_groups, incident_means
-- arguments: ended = resolved_at; seconds = 3600
SELECT
    "group",
    period_start,
    incidents,
    ended AS resolved,
    incidents - ended AS open,
    mean AS mean_hours,
    median AS median_hours
FROM incident_means
ORDER BY "group", period_start
