-- name: investment_allocation_items
-- title: Investment allocation: the work items behind it
-- description: The drill-down of investment_allocation: one row per period, group, work
--   item and person, with the category and objective the rules give the item, its epic (the
--   issue itself, its parent or its parent's parent, the first of type Epic; NULL for work
--   outside an issue's chain: initiative ROI sums the cost of an initiative's epics), the weight
--   of the person's work on it (units: a day's code 2, a day's review or status changes 1;
--   decision 0050) against all their work of the month (person_units), the share of their
--   month it takes, and the fte and cost it carries. Rows of the same period, group and
--   category add up to investment_allocation's figure. A person-month without any recorded
--   activity is one row of category no_recorded_work and no item. In a group of fewer
--   people than the minimum group size (default 5), the person and the cost are hidden.
-- unit: FTE; cost in the reporting currency
-- grain: group, category, work item, person, month (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: neither
-- value: fte
-- default_window_days: 365
-- parameters: since, until, grain, by, unit, currency
-- groupings: team, unit, objective, org
-- group_size: people
-- private: person, cost
-- uses: reporting_rates, people_months, work_activity, work_items, investment_effort, team_lineage, unit_scope, team_units,
--   investment_groups, delivery_periods
WITH periodic AS (
    SELECT
        g.*,
        CASE WHEN $grain = 'window' THEN CAST($period_origin AS DATE)
             ELSE CAST(time_bucket(CAST($period AS INTERVAL), g.month, CAST($period_origin AS DATE)) AS DATE)
        END AS period_start
    FROM investment_groups AS g
),
groups AS (
    SELECT period_start, group_name, count(DISTINCT person_id) AS people
    FROM periodic
    GROUP BY ALL
),
items AS (
    SELECT
        period_start, group_name, category, objective, item_kind, item_key, title, epic, person_id,
        sum(units) AS units,
        sum(person_units) AS person_units,
        sum(fte_days) AS fte_days,
        sum(cost) AS cost
    FROM periodic
    GROUP BY ALL
)
SELECT
    i.period_start,
    i.group_name AS "group",
    i.category,
    i.objective,
    i.item_kind,
    i.item_key AS item,
    i.title,
    i.epic,
    coalesce(p.name, i.person_id) AS person,
    i.units,
    i.person_units,
    round(CASE WHEN i.person_units = 0 THEN 1.0 ELSE i.units / i.person_units END, 4) AS share,
    round(i.fte_days / d.days, 4) AS fte,
    round(i.cost, 2) AS cost,
    g.people
FROM items AS i
JOIN groups AS g ON g.period_start = i.period_start AND g.group_name = i.group_name
JOIN delivery_periods AS d ON d.period_start = i.period_start
LEFT JOIN people AS p ON p.person_id = i.person_id
ORDER BY i.period_start, "group", i.category, item, person
