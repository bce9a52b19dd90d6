-- name: tenure
-- title: Tenure
-- description: How long the people employed on the date have been employed, counted from
--   the start_date of their current spell (a rehire starts again). Tenure is in complete
--   months: the largest n such that start_date + n months (the day kept, or the month's
--   last day when the month is shorter) is on or before the date. Per group: headcount,
--   median tenure in months (interpolated), and people per band: under 6 months, 6-12
--   months (6 to 11 complete months), 1-2 years (12-23), 2-4 years (24-47), 4 years or
--   more (48+). People without a start_date in the exports count from their first
--   snapshot. Below the minimum group size (default 5) the median and bands are hidden.
-- unit: months
-- grain: group, date (--at, or monthly with --since/--until)
-- good_direction: neither
-- value: median_tenure_months
-- default_window_days: 365
-- parameters: at, since, until, by, unit
-- groupings: org, unit, team, level, location, role, employment_type
-- group_size: headcount
-- private: median_tenure_months, under_6_months, months_6_to_12, years_1_to_2, years_2_to_4,
--   years_4_plus
-- personal_groupings: level, location, role, employment_type
-- uses: org_dates, people_at, teams_at, unit_tree, org_groups
WITH tenures AS (
    SELECT date, group_name, person_id, date_sub('month', start_date, date) AS months
    FROM org_groups
)
SELECT
    date,
    group_name AS "group",
    count(*) AS headcount,
    median(months) AS median_tenure_months,
    count(*) FILTER (WHERE months < 6) AS under_6_months,
    count(*) FILTER (WHERE months BETWEEN 6 AND 11) AS months_6_to_12,
    count(*) FILTER (WHERE months BETWEEN 12 AND 23) AS years_1_to_2,
    count(*) FILTER (WHERE months BETWEEN 24 AND 47) AS years_2_to_4,
    count(*) FILTER (WHERE months >= 48) AS years_4_plus
FROM tenures
GROUP BY date, group_name
ORDER BY date, "group"
