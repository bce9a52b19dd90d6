-- name: headcount
-- title: Headcount
-- description: People employed on the date (between their start and end dates, as the
--   people exports say), grouped by --by. With --since/--until, one value per month, on
--   the month's last day.
-- unit: people
-- grain: group, date (--at, or monthly with --since/--until)
-- good_direction: neither
-- value: headcount
-- default_window_days: 365
-- parameters: at, since, until, by, unit
-- groupings: org, team, unit, level, location, role, employment_type
-- group_size: headcount
-- personal_groupings: level, location, role, employment_type
-- uses: org_dates, people_at, teams_at, unit_tree, org_groups
SELECT date, group_name AS "group", count(DISTINCT person_id) AS headcount
FROM org_groups
GROUP BY ALL
ORDER BY date, "group"
