-- fragment: capitalized_effort
-- The rows of investment_effort with the capitalization policy applied (docs/capitalization.md,
-- decision 0054): each work item's phase (the first phase rule, by position, every field
-- of which matches it, as investment rules match; else the policy's default phase; NULL
-- for a person-month without recorded work), its project (the item's epic, or its
-- objective, as the policy says; '(no project)' when it has none), and whether its effort
-- is capitalizable: its category is one of the policy's categories and its phase one of
-- its phases. capitalizable_cost is the row's cost when it is, else 0. Without a stored
-- policy there are no rows: nothing is capitalizable until a policy says what is.
WITH policy AS (
    SELECT categories, phases, default_phase, project_by FROM capitalization_policy
),
items AS (
    SELECT DISTINCT item_id, issue_type, labels, epics, project
    FROM investment_effort
    WHERE item_id IS NOT NULL
),
phased AS (
    SELECT w.item_id, arg_min(r.phase, r.position) AS phase
    FROM items AS w
    JOIN capitalization_phases AS r
      ON (r.issue_types IS NULL OR coalesce(list_contains(r.issue_types, w.issue_type), false))
     AND (r.labels IS NULL OR list_has_any(r.labels, w.labels))
     AND (r.epics IS NULL OR list_has_any(r.epics, list_filter(w.epics, lambda x: x IS NOT NULL)))
     AND (r.projects IS NULL OR coalesce(list_contains(r.projects, w.project), false))
    GROUP BY ALL
),
placed AS (
    SELECT
        e.*,
        CASE WHEN e.item_id IS NOT NULL THEN coalesce(f.phase, p.default_phase) END AS phase,
        coalesce(CASE p.project_by WHEN 'objective' THEN e.objective ELSE e.epic END, '(no project)') AS project_name,
        p.categories AS policy_categories,
        p.phases AS policy_phases
    FROM investment_effort AS e
    CROSS JOIN policy AS p
    LEFT JOIN phased AS f ON f.item_id = e.item_id
)
SELECT
    * EXCLUDE (policy_categories, policy_phases),
    coalesce(list_contains(policy_categories, category) AND list_contains(policy_phases, phase), false) AS capitalizable,
    CASE WHEN coalesce(list_contains(policy_categories, category) AND list_contains(policy_phases, phase), false)
         THEN cost ELSE 0 END AS capitalizable_cost
FROM placed
