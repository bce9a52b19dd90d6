-- name: mtta
-- title: Mean time to acknowledge
-- description: Incidents created in the period: the mean of created -> acknowledged, in
--   minutes, over the acknowledged ones, with the median (interpolated) beside it.
-- unit: minutes
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: mean_minutes
-- default_window_days: 84
-- parameters: since, until, grain, by, unit
-- groupings: org, team, unit, service
-- uses: delivery_periods, service_teams, team_lineage, unit_scope, team_units, incident_groups, incident_means
-- arguments: ended = acknowledged_at; seconds = 60
SELECT
    "group",
    period_start,
    incidents,
    ended AS acknowledged,
    mean AS mean_minutes,
    median AS median_minutes
FROM incident_means
ORDER BY "group", period_start
