-- name: attrition_rate
-- title: Attrition rate
-- description: Leavers per year of employment, over each date's window (--at: the 365
--   days up to the date; --since/--until: each month, both ends included; a window
--   starts no earlier than the first snapshot, and days says how long it is). A leaver is a
--   spell of employment that ends in the window: its last day (the end_date exported, or
--   the day before the first snapshot that no longer lists the person: end_inferred) is
--   in the window; they count in the group they were in on their last day; a person who
--   leaves twice counts twice. average_headcount = person-days employed in the group in
--   the window / days in the window (each day in the group of that day). attrition_rate
--   = leavers / average_headcount * 365 / days = leavers * 365 / person_days (annualized;
--   turnover = terminations / average headcount, F6). Leavers and rates are split into
--   regretted and non-regretted as the exports say; a leaver without that flag counts as
--   unknown. people = distinct people employed in the group in the window; below the
--   minimum group size (default 5) every count and rate is hidden.
-- unit: leavers per person-year
-- grain: group, date (--at: 365 days, or monthly with --since/--until)
-- good_direction: down
-- value: attrition_rate
-- default_window_days: 365
-- parameters: at, since, until, by, unit
-- groupings: org, unit, team, level, location, role, employment_type
-- group_size: people
-- private: person_days, average_headcount, leavers, regretted_leavers, non_regretted_leavers,
--   unknown_regret_leavers, leavers_end_inferred, attrition_rate, regretted_rate,
--   non_regretted_rate
-- personal_groupings: level, location, role, employment_type
-- uses: org_dates, org_unit_history, org_stretches
-- tile: people
-- tile_order: 20
-- tile_trailing: true
-- tile_title: Attrition rate, trailing 12 months
WITH per_group AS (
    SELECT
        date,
        window_start,
        group_name,
        count(DISTINCT person_id) AS people,
        sum(stretch_to - stretch_from) AS person_days,
        count(*) FILTER (WHERE leaves AND stretch_to = valid_to) AS leavers,
        count(*) FILTER (WHERE leaves AND stretch_to = valid_to AND regretted) AS regretted_leavers,
        count(*) FILTER (WHERE leaves AND stretch_to = valid_to AND NOT regretted) AS non_regretted_leavers,
        count(*) FILTER (WHERE leaves AND stretch_to = valid_to AND regretted IS NULL) AS unknown_regret_leavers,
        count(*) FILTER (WHERE leaves AND stretch_to = valid_to AND end_inferred) AS leavers_end_inferred
    FROM org_stretches
    GROUP BY date, window_start, group_name
)
SELECT
    date,
    group_name AS "group",
    window_start,
    date - window_start + 1 AS days,
    people,
    person_days,
    round(person_days / (date - window_start + 1), 2) AS average_headcount,
    leavers,
    regretted_leavers,
    non_regretted_leavers,
    unknown_regret_leavers,
    leavers_end_inferred,
    round(leavers * 365 / person_days, 4) AS attrition_rate,
    round(regretted_leavers * 365 / person_days, 4) AS regretted_rate,
    round(non_regretted_leavers * 365 / person_days, 4) AS non_regretted_rate
FROM per_group
ORDER BY date, "group"
