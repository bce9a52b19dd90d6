-- name: cost_per_engineer
-- title: Cost per engineer
-- description: What a group costs per month (cost_per_team's total: people, tools, cloud)
--   divided by its engineers' FTE (people whose role, or title when the export gives no
--   role, is an engineer: 'Engineer', 'Senior Software Engineer', not 'Engineering
--   Manager'; each counted for the days employed, decision 0052), in the reporting
--   currency. Empty for a group without engineers. people counts the people behind the
--   cost; in a row about fewer than the minimum group size (default 5) the cost and the
--   cost per engineer are hidden.
-- unit: reporting currency per engineer FTE
-- grain: group, period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: neither
-- value: cost_per_engineer
-- default_window_days: 365
-- parameters: since, until, grain, by, unit, currency
-- groupings: org, team, unit
-- group_size: people
-- private: total_cost, cost_per_engineer
-- uses: reporting_rates, people_months, window_months, team_lineage, unit_scope, month_units, people_groups,
--   tool_months, money_months, service_teams, cloud_allocation, team_costs
SELECT
    group_name AS "group",
    period_start,
    people,
    engineers,
    round(engineer_fte, 2) AS engineer_fte,
    round(total_cost, 2) AS total_cost,
    round(total_cost / nullif(engineer_fte, 0), 2) AS cost_per_engineer,
    $currency AS currency
FROM team_costs
ORDER BY period_start, "group"
