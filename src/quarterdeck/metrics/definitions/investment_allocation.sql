-- name: investment_allocation
-- title: Investment allocation
-- description: Where the effort goes: each person's month (from the people exports, days
--   employed on each team) spread over the work they touched that month (commits, pull
--   requests opened, reviews, issue status changes; decision 0050), each work item put in a
--   category by the investment rules (quarterdeck ingest investment-rules). Per period,
--   group and category: fte (full-time equivalents: person-days / days of the period),
--   share of the group's fte, cost (people cost in the reporting currency), contributors
--   (people with effort in the category) and people (the people of the group in the
--   period). Every category is listed for every group, uncategorized and "no recorded
--   work" (person-months without any activity) included. In a group of fewer people than
--   the minimum group size (default 5), fte, share, cost and contributors are hidden.
--   investment_allocation_items lists the work items and people-months behind each figure.
-- unit: FTE; cost in the reporting currency
-- grain: group, category, month (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: neither
-- value: fte
-- default_window_days: 365
-- parameters: since, until, grain, by, unit, currency
-- groupings: team, unit, objective, org
-- group_size: people
-- private: fte, share, cost, contributors
-- uses: reporting_rates, people_months, work_activity, work_items, investment_effort, team_lineage, unit_scope, team_units,
--   investment_groups, investment_categories_shown, delivery_periods
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
sums AS (
    SELECT
        period_start, group_name, category,
        sum(fte_days) AS fte_days,
        sum(cost) AS cost,
        count(DISTINCT person_id) AS contributors
    FROM periodic
    GROUP BY ALL
),
totals AS (
    SELECT period_start, group_name, sum(fte_days) AS fte_days FROM sums GROUP BY ALL
)
SELECT
    g.period_start,
    g.group_name AS "group",
    c.category,
    c.name AS category_name,
    round(coalesce(s.fte_days, 0) / p.days, 4) AS fte,
    round(coalesce(s.fte_days, 0) / nullif(t.fte_days, 0), 4) AS share,
    round(coalesce(s.cost, 0), 2) AS cost,
    coalesce(s.contributors, 0) AS contributors,
    g.people
FROM groups AS g
JOIN delivery_periods AS p ON p.period_start = g.period_start
JOIN totals AS t ON t.period_start = g.period_start AND t.group_name = g.group_name
CROSS JOIN investment_categories_shown AS c
LEFT JOIN sums AS s ON s.period_start = g.period_start AND s.group_name = g.group_name AND s.category = c.category
ORDER BY g.period_start, "group", c.position
