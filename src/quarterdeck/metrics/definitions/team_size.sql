-- name: team_size
-- title: Team size
-- description: People per team against the 5-9 guideline (Team Topologies: at most about
--   7-9; Amazon two-pizza teams). A team is sized when it has no sub-team on the date
--   (teams with sub-teams are units: their direct members are their leadership) and at
--   least one direct member; its size is its direct members employed on the date. --by
--   team: one row per team with its size (headcount) and band: "below 5", "5-9" or
--   "above 9"; a unit or "(no team)" has teams = 0 and no band. --by org or unit: the
--   teams of the group counted per band, their mean and median size. headcount counts
--   everyone in the group; not_in_teams those of them not in a sized team (in a unit
--   with sub-teams, or without a team). Team sizes are structure, not personal data: not
--   hidden for small groups.
-- unit: people per team
-- grain: team or group, date (--at, or monthly with --since/--until)
-- good_direction: neither
-- value: median_team_size
-- default_window_days: 365
-- parameters: at, since, until, by, unit
-- groupings: team, org, unit
-- group_size: headcount
-- uses: org_dates, people_at, teams_at, unit_tree, org_groups
WITH sized AS (
    SELECT p.date, p.team_id, count(*) AS size
    FROM people_at AS p
    WHERE p.team_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM teams_at AS c WHERE c.date = p.date AND c.parent_id = p.team_id)
    GROUP BY p.date, p.team_id
),
members AS (
    SELECT g.date, g.group_name, g.person_id, s.team_id AS sized_team, s.size
    FROM org_groups AS g
    LEFT JOIN sized AS s ON s.date = g.date AND s.team_id = g.team_id
),
people AS (
    SELECT date, group_name, count(*) AS headcount, count(*) FILTER (WHERE sized_team IS NULL) AS not_in_teams
    FROM members
    GROUP BY date, group_name
),
teams AS (
    SELECT DISTINCT date, group_name, sized_team, size
    FROM members
    WHERE sized_team IS NOT NULL
),
bands AS (
    SELECT
        date,
        group_name,
        count(*) AS teams,
        min(size) AS smallest,
        count(*) FILTER (WHERE size < 5) AS teams_below_5,
        count(*) FILTER (WHERE size BETWEEN 5 AND 9) AS teams_5_to_9,
        count(*) FILTER (WHERE size > 9) AS teams_above_9,
        round(avg(size), 2) AS mean_team_size,
        median(size) AS median_team_size
    FROM teams
    GROUP BY date, group_name
)
SELECT
    p.date,
    p.group_name AS "group",
    p.headcount,
    coalesce(b.teams, 0) AS teams,
    CASE
        WHEN $by <> 'team' OR b.teams IS NULL THEN NULL
        WHEN b.smallest < 5 THEN 'below 5'
        WHEN b.smallest <= 9 THEN '5-9'
        ELSE 'above 9' END AS band,
    coalesce(b.teams_below_5, 0) AS teams_below_5,
    coalesce(b.teams_5_to_9, 0) AS teams_5_to_9,
    coalesce(b.teams_above_9, 0) AS teams_above_9,
    b.mean_team_size,
    b.median_team_size,
    p.not_in_teams
FROM people AS p
LEFT JOIN bands AS b ON b.date = p.date AND b.group_name = p.group_name
ORDER BY p.date, "group"
