-- name: cost_per_team
-- title: Cost per team
-- description: What each team (or unit, or the organization) costs per month in the
--   reporting currency: its people's loaded cost (as people_cost: prorated by days, the
--   location's multiplier, converted at the month's rate), its tools (a twelfth of the
--   annual cost of each tool it owns, tool_spend) and its cloud (the spend the allocation
--   rules place on its teams; untagged spend in the organization's row only), and the total. people counts the people behind the row; in a row
--   about fewer people than the minimum group size (default 5) the people cost and the
--   total are hidden.
-- unit: reporting currency
-- grain: group, period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: neither
-- value: total_cost
-- default_window_days: 365
-- parameters: since, until, grain, by, unit, currency
-- groupings: team, unit, org
-- group_size: people
-- private: people_cost, total_cost, people_without_cost
-- uses: reporting_rates, people_months, window_months, team_lineage, unit_scope, month_units, people_groups,
--   tool_months, money_months, service_teams, cloud_allocation, team_costs
SELECT
    group_name AS "group",
    period_start,
    people,
    round(people_cost, 2) AS people_cost,
    round(tool_cost, 2) AS tool_cost,
    round(cloud_cost, 2) AS cloud_cost,
    round(total_cost, 2) AS total_cost,
    people_without_cost,
    $currency AS currency
FROM team_costs
ORDER BY period_start, "group"
