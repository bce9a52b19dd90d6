-- name: capitalizable_cost_by_project
-- title: Capitalizable cost per project
-- description: R&D capitalization per period and project (docs/capitalization.md): amount,
--   the capitalizable cost (effort in the policy's categories and phases, in the reporting
--   currency), capitalizable_fte, cost (all the effort on the project's work items) and
--   items (capitalizable work items). A project is an epic or an objective, as the policy
--   says. capitalizable_cost lists the work items and people-months behind each amount.
--   people counts the people with effort on the project; when fewer than the minimum group
--   size (default 5), the amounts are hidden.
--   No rows until a policy is imported (quarterdeck ingest capitalization-policy FILE).
-- unit: cost in the reporting currency
-- grain: group, project, month (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: neither
-- value: amount
-- default_window_days: 365
-- parameters: since, until, grain, by, unit, currency
-- groupings: org, team, unit
-- group_size: people
-- private: amount, capitalizable_fte, cost
-- uses: reporting_rates, people_months, work_activity, work_items, investment_effort, capitalized_effort,
--   team_lineage, unit_scope, team_units, capitalized_groups, delivery_periods
SELECT
    g.period_start,
    g.group_name AS "group",
    g.project_name AS project,
    round(sum(g.capitalizable_cost), 2) AS amount,
    round(coalesce(sum(g.fte_days) FILTER (WHERE g.capitalizable), 0) / any_value(d.days), 4) AS capitalizable_fte,
    round(sum(g.cost), 2) AS cost,
    count(DISTINCT g.item_id) FILTER (WHERE g.capitalizable) AS items,
    count(DISTINCT g.person_id) AS people
FROM capitalized_groups AS g
JOIN delivery_periods AS d ON d.period_start = g.period_start
WHERE g.item_id IS NOT NULL
GROUP BY ALL
ORDER BY g.period_start, "group", project
