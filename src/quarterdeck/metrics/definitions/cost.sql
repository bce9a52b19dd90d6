-- name: cost
-- title: People cost
-- description: The yearly cost of the people employed on the date: the sum of their
--   annual_cost (fully loaded yearly cost, as the people exports give it, in their
--   currency) per group, never per person. people_with_cost counts the people behind the
--   sum, people_without_cost those employed without a cost in the export (not in the
--   sum); average_annual_cost = annual_cost / people_with_cost. When fewer than the
--   minimum group size (default 5) have a cost, the sum, the average and the count
--   without a cost are hidden, whatever the grouping.
-- unit: cost per year (the exports' currency)
-- grain: group, date (--at, or monthly with --since/--until)
-- good_direction: neither
-- value: annual_cost
-- default_window_days: 365
-- parameters: at, since, until, by, unit
-- groupings: org, unit, team, level, location, role, employment_type
-- group_size: people_with_cost
-- private: people_without_cost, annual_cost, average_annual_cost
-- personal_groupings: level, location, role, employment_type
-- uses: org_dates, people_at, teams_at, unit_tree, org_groups
WITH counted AS (
    SELECT
        date,
        group_name,
        count(annual_cost) AS people_with_cost,
        count(*) FILTER (WHERE annual_cost IS NULL) AS people_without_cost,
        sum(annual_cost) AS annual_cost
    FROM org_groups
    GROUP BY date, group_name
)
SELECT
    date,
    group_name AS "group",
    people_with_cost,
    people_without_cost,
    annual_cost,
    round(annual_cost / nullif(people_with_cost, 0), 2) AS average_annual_cost
FROM counted
ORDER BY date, "group"
