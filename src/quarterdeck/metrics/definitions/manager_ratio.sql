-- name: manager_ratio
-- title: Manager ratio
-- description: Individual contributors per manager, and managers' share of headcount.
--   A manager is a person employed on the date with at least one direct report employed
--   on that date; everyone else is an individual contributor (IC). Per group (by each
--   person's own team, or each unit above it): headcount, managers, managers of managers
--   (a manager with at least one direct report who is a manager), ICs, ics_per_manager =
--   ICs / managers (none when the group has no manager), manager_share = managers /
--   headcount. A team whose manager sits in the team above has no manager of its own:
--   read such teams --by unit. The org chart's structure: not hidden for small groups,
--   and not grouped by personal attributes.
-- unit: ICs per manager
-- grain: group, date (--at, or monthly with --since/--until)
-- good_direction: neither
-- value: ics_per_manager
-- default_window_days: 365
-- parameters: at, since, until, by, unit
-- groupings: org, unit, team
-- group_size: headcount
-- uses: org_dates, people_at, teams_at, unit_tree, org_groups, org_reports
WITH counted AS (
    SELECT
        g.date,
        g.group_name,
        count(*) AS headcount,
        count(*) FILTER (WHERE r.direct_reports > 0) AS managers,
        count(*) FILTER (WHERE r.manager_reports > 0) AS managers_of_managers,
        count(*) FILTER (WHERE r.direct_reports = 0) AS ics
    FROM org_groups AS g
    JOIN org_reports AS r ON r.date = g.date AND r.person_id = g.person_id
    GROUP BY g.date, g.group_name
)
SELECT
    date,
    group_name AS "group",
    headcount,
    managers,
    managers_of_managers,
    ics,
    round(ics / nullif(managers, 0), 2) AS ics_per_manager,
    round(managers / headcount, 4) AS manager_share
FROM counted
ORDER BY date, "group"
