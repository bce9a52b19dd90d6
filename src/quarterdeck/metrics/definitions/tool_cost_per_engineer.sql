-- name: tool_cost_per_engineer
-- title: Tool cost per engineer
-- description: The software a group owns (tool_spend: a twelfth of each contract's annual
--   cost per month, in the reporting currency at the month's rate) divided by its
--   engineers' FTE that month (as cost_per_engineer counts them). Empty for a group
--   without engineers. Tool costs are the company's, not people's: nothing is hidden.
-- unit: reporting currency per engineer FTE
-- grain: group, period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: neither
-- value: tool_cost_per_engineer
-- default_window_days: 365
-- parameters: since, until, grain, by, unit, currency
-- groupings: org, team, unit
-- uses: reporting_rates, people_months, window_months, team_lineage, unit_scope, month_units, people_groups,
--   tool_months, money_months, service_teams, cloud_allocation, team_costs
SELECT
    group_name AS "group",
    period_start,
    engineers,
    round(engineer_fte, 2) AS engineer_fte,
    round(tool_cost, 2) AS tool_cost,
    round(tool_cost / nullif(engineer_fte, 0), 2) AS tool_cost_per_engineer,
    $currency AS currency
FROM team_costs
ORDER BY period_start, "group"
