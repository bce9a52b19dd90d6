-- fragment: investment_effort
-- Each person-month of people_months (one row per person, team and month; a person who
-- moved teams mid-month has a row per team, each with its days) spread over the work items
-- of work_activity in proportion to the weight of the person's work on each that month
-- (decision 0050): share = the item's weight / the person's weight that month, the same
-- split for each of the person's teams that month. fte and cost are the row's times the
-- share. A person-month with no recorded activity is one row of category
-- 'no_recorded_work' (item NULL, share 1): shown, never spread over other people's work.
WITH item_weights AS (
    SELECT person_id, month, item_id, sum(weight) AS units
    FROM work_activity
    GROUP BY ALL
),
person_weights AS (
    SELECT person_id, month, sum(units) AS person_units
    FROM item_weights
    GROUP BY ALL
)
SELECT
    m.person_id,
    m.team_id,
    m.month,
    m.days,
    m.days_in_month,
    m.fte AS person_fte,
    m.cost AS person_cost,
    w.item_id,
    i.item_kind,
    i.item_key,
    i.title,
    coalesce(w.units, 0) AS units,
    coalesce(t.person_units, 0) AS person_units,
    coalesce(w.units / t.person_units, 1.0) AS share,
    m.days * coalesce(w.units / t.person_units, 1.0) AS fte_days,
    m.fte * coalesce(w.units / t.person_units, 1.0) AS fte,
    m.cost * coalesce(w.units / t.person_units, 1.0) AS cost,
    CASE WHEN w.item_id IS NULL THEN 'no_recorded_work' ELSE i.category END AS category,
    i.objective,
    i.epic,
    i.issue_type,
    i.labels,
    i.epics,
    i.project
FROM people_months AS m
LEFT JOIN person_weights AS t ON t.person_id = m.person_id AND t.month = m.month
LEFT JOIN item_weights AS w ON w.person_id = m.person_id AND w.month = m.month
LEFT JOIN work_items AS i ON i.item_id = w.item_id
