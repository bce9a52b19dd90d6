-- name: incidents
-- title: Incidents by severity
-- description: Incidents created per group, period and severity (as the source wrote it;
--   '(none)' when it gave none), with the severity's rank (1 = most severe, SEV1/P1/critical).
-- unit: incidents
-- grain: group, period, severity (--grain week, month, quarter or window)
-- good_direction: down
-- value: incidents
-- default_window_days: 84
-- parameters: since, until, grain, by, unit
-- groupings: org, team, unit, service
-- uses: delivery_periods, service_teams, team_lineage, unit_scope, team_units, incident_groups
-- tile: reliability
-- tile_order: 20
-- tile_reduce: sum
SELECT
    group_name AS "group",
    period_start,
    coalesce(severity, '(none)') AS severity,
    any_value(severity_rank) AS severity_rank,
    count(*) AS incidents
FROM incident_groups
GROUP BY ALL
ORDER BY "group", period_start, severity_rank NULLS LAST, severity
