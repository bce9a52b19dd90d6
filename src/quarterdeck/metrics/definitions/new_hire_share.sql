-- name: new_hire_share
-- title: New-hire share
-- description: The share of the people employed on the date who started in the last 6
--   months and are still ramping up (3-9 months to full productivity, Swimm survey):
--   fewer than 6 complete months since the start_date of their current spell (see
--   tenure: start_date + 6 months is after the date). Per group: headcount, new_hires,
--   new_hire_share = new_hires / headcount. Below the minimum group size (default 5) the
--   count and share are hidden.
-- unit: share of headcount
-- grain: group, date (--at, or monthly with --since/--until)
-- good_direction: neither
-- value: new_hire_share
-- default_window_days: 365
-- parameters: at, since, until, by, unit
-- groupings: org, unit, team, level, location, role, employment_type
-- group_size: headcount
-- private: new_hires, new_hire_share
-- personal_groupings: level, location, role, employment_type
-- uses: org_dates, people_at, teams_at, unit_tree, org_groups
WITH counted AS (
    SELECT
        date,
        group_name,
        count(*) AS headcount,
        count(*) FILTER (WHERE date_sub('month', start_date, date) < 6) AS new_hires
    FROM org_groups
    GROUP BY date, group_name
)
SELECT
    date,
    group_name AS "group",
    headcount,
    new_hires,
    round(new_hires / headcount, 4) AS new_hire_share
FROM counted
ORDER BY date, "group"
