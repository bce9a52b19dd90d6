-- name: headcount
-- title: Headcount
-- description: People employed on the date (from their start date to their end date,
--   both included, as the people exports say), grouped by --by. With --since/--until, one
--   value per month, on the month's last day. Grouped by a personal attribute (level,
--   location, role, employment type), a group of fewer than the minimum group size
--   (default 5) shows "<5"; team and unit headcounts are structure and always shown.
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
-- tile: people
-- tile_order: 10
SELECT date, group_name AS "group", count(DISTINCT person_id) AS headcount
FROM org_groups
GROUP BY ALL
ORDER BY date, "group"
