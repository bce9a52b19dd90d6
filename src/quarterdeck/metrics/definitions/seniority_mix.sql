-- name: seniority_mix
-- title: Seniority mix
-- description: The share of each level among the people of a group on the date: one row
--   per group and level (levels as the people exports give them; people without a level
--   count as "(no level)"), with the group's headcount, the people at that level and
--   share = people / headcount. Every level that someone in the organization holds on
--   the date has a row in every group, with 0 where the group has no one at that level,
--   so that which rows a group has says nothing about its people. The people and share
--   of a group of fewer than the minimum group size (default 5) are hidden: in a small
--   group they point at individuals.
-- unit: share of people
-- grain: group, level, date (--at, or monthly with --since/--until)
-- good_direction: neither
-- value: share
-- default_window_days: 365
-- parameters: at, since, until, by, unit
-- groupings: org, unit, team, location, role, employment_type
-- group_size: headcount
-- private: people, share
-- personal_groupings: location, role, employment_type
-- uses: org_dates, people_at, teams_at, unit_tree, org_groups
WITH levels AS (
    SELECT DISTINCT date, coalesce(level, '(no level)') AS level
    FROM people_at
),
groups AS (
    SELECT date, group_name, count(*) AS headcount
    FROM org_groups
    GROUP BY date, group_name
),
per_level AS (
    SELECT date, group_name, coalesce(level, '(no level)') AS level, count(*) AS people
    FROM org_groups
    GROUP BY date, group_name, coalesce(level, '(no level)')
)
SELECT
    g.date,
    g.group_name AS "group",
    g.headcount,
    l.level,
    coalesce(p.people, 0) AS people,
    round(coalesce(p.people, 0) / g.headcount, 4) AS share
FROM groups AS g
JOIN levels AS l ON l.date = g.date
LEFT JOIN per_level AS p ON p.date = g.date AND p.group_name = g.group_name AND p.level = l.level
ORDER BY g.date, "group", l.level = '(no level)', l.level
