-- name: capitalizable_cost
-- title: Capitalizable cost: the audit trail
-- description: R&D capitalization's trail for the accountants (docs/capitalization.md):
--   one row per period, group, project, work item and person, with the item's category
--   (investment rules) and phase (capitalization policy), whether its effort is
--   capitalizable (its category and its phase are among the policy's), the person's share
--   of their month on it (units of work, decision 0050), the fte and the cost it carries,
--   and amount: the capitalizable cost (the cost when capitalizable, else 0). Every
--   person-month of the group is listed, capitalizable or not (no recorded work included),
--   so the rows add up to the people cost. capitalizable_cost_by_project sums the amounts
--   per project. In a group of fewer people than the minimum group size (default 5) the
--   person, the cost and the amount are hidden. --format csv writes the file.
--   No rows until a policy is imported (quarterdeck ingest capitalization-policy FILE).
-- unit: reporting currency
-- grain: group, project, work item, person, month (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: neither
-- value: amount
-- default_window_days: 365
-- parameters: since, until, grain, by, unit, currency
-- groupings: org, team, unit
-- group_size: people
-- private: person, cost, amount
-- uses: reporting_rates, people_months, work_activity, work_items, investment_effort, capitalized_effort,
--   team_lineage, unit_scope, team_units, capitalized_groups, delivery_periods
WITH groups AS (
    SELECT period_start, group_name, count(DISTINCT person_id) AS people
    FROM capitalized_groups
    GROUP BY ALL
),
trail AS (
    SELECT
        period_start, group_name, project_name, item_kind, item_key, title, category, phase, capitalizable, person_id,
        sum(units) AS units,
        sum(person_units) AS person_units,
        sum(fte_days) AS fte_days,
        sum(cost) AS cost,
        sum(capitalizable_cost) AS amount
    FROM capitalized_groups
    GROUP BY ALL
)
SELECT
    r.period_start,
    r.group_name AS "group",
    r.project_name AS project,
    r.item_kind,
    r.item_key AS item,
    r.title,
    r.category,
    r.phase,
    r.capitalizable,
    coalesce(p.name, r.person_id) AS person,
    round(CASE WHEN r.person_units = 0 THEN 1.0 ELSE r.units / r.person_units END, 4) AS share,
    round(r.fte_days / d.days, 4) AS fte,
    round(r.cost, 2) AS cost,
    round(r.amount, 2) AS amount,
    g.people
FROM trail AS r
JOIN groups AS g ON g.period_start = r.period_start AND g.group_name = r.group_name
JOIN delivery_periods AS d ON d.period_start = r.period_start
LEFT JOIN people AS p ON p.person_id = r.person_id
ORDER BY r.period_start, "group", project, item, person
