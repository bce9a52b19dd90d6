-- fragment: work_items
-- materialized: read by investment_effort
-- Each work item of work_activity with what the investment rules match on, its category
-- and its objective (docs/sources/investment-rules.md):
--   issues (item_kind 'issue'): issue type, labels, epics (the issue, its parent and its
--     parent's parent), project, and as repository the project of a GitHub or GitLab issue;
--   pull requests naming no issue ('pull_request'): their repository (owner/name) only;
--   repositories ('repository': commits of no pull request naming no issue): the name.
-- category: the category of the first rule (lowest position) every field of which matches
-- (a field the rule leaves empty matches anything; a field the item lacks matches nothing),
-- else 'uncategorized'. epic: the issue itself, its parent or its parent's parent, the
-- first whose type is Epic, else the top of its chain of parents (NULL without a parent).
-- objective: the objective of the first of the issue, its parent and
-- its parent's parent that the rules map to one, else NULL.
WITH touched AS (
    SELECT DISTINCT item_id FROM work_activity
),
issue_items AS (
    SELECT
        'issue:' || i.source || ':' || i.issue_id AS item_id,
        'issue' AS item_kind,
        i.issue_key AS item_key,
        i.title,
        lower(i.issue_type) AS issue_type,
        list_transform(coalesce(i.labels, []), lambda x: lower(x)) AS labels,
        [lower(i.issue_key), lower(i.parent_key), lower(p.parent_key)] AS epics,
        lower(i.project) AS project,
        CASE WHEN i.source IN ('github', 'gitlab') THEN lower(i.project) END AS repository,
        i.status_category,
        CASE WHEN lower(i.issue_type) = 'epic' THEN i.issue_key
             WHEN lower(p.issue_type) = 'epic' THEN p.issue_key
             WHEN lower(g.issue_type) = 'epic' THEN g.issue_key
             ELSE coalesce(p.parent_key, i.parent_key) END AS epic
    FROM issues AS i
    LEFT JOIN issues AS p ON p.source = i.source AND p.issue_key = i.parent_key
    LEFT JOIN issues AS g ON g.source = p.source AND g.issue_key = p.parent_key
    WHERE 'issue:' || i.source || ':' || i.issue_id IN (SELECT item_id FROM touched)
),
other_items AS (
    SELECT
        t.item_id,
        split_part(t.item_id, ':', 1) AS item_kind,
        CASE WHEN starts_with(t.item_id, 'repository:') THEN substr(t.item_id, 12)
             ELSE p.repository || '#' || p.number END AS item_key,
        p.title,
        CAST(NULL AS VARCHAR) AS issue_type,
        CAST([] AS VARCHAR[]) AS labels,
        CAST([] AS VARCHAR[]) AS epics,
        CAST(NULL AS VARCHAR) AS project,
        lower(coalesce(p.repository, substr(t.item_id, 12))) AS repository,
        CAST(NULL AS VARCHAR) AS status_category,
        CAST(NULL AS VARCHAR) AS epic
    FROM touched AS t
    LEFT JOIN pull_requests AS p
      ON t.item_id = 'pull_request:' || p.source || ':' || p.repository || '#' || p.number
    WHERE NOT starts_with(t.item_id, 'issue:')
),
items AS (
    SELECT * FROM issue_items
    UNION ALL
    SELECT * FROM other_items
),
matched AS (
    SELECT w.item_id, arg_min(r.category, r.position) AS category
    FROM items AS w
    JOIN investment_rules AS r
      ON (r.issue_types IS NULL OR coalesce(list_contains(r.issue_types, w.issue_type), false))
     AND (r.labels IS NULL OR list_has_any(r.labels, w.labels))
     AND (r.epics IS NULL OR list_has_any(r.epics, list_filter(w.epics, lambda x: x IS NOT NULL)))
     AND (r.projects IS NULL OR coalesce(list_contains(r.projects, w.project), false))
     AND (r.repositories IS NULL OR coalesce(list_contains(r.repositories, w.repository), false))
    GROUP BY ALL
),
objectives AS (
    SELECT w.item_id, arg_min(o.objective, list_position(w.epics, lower(o.epic))) AS objective
    FROM items AS w
    JOIN investment_objectives AS o ON list_contains(w.epics, lower(o.epic))
    GROUP BY ALL
)
SELECT
    w.item_id, w.item_kind, w.item_key, w.title, w.issue_type, w.labels, w.epics, w.project, w.repository,
    w.status_category, w.epic,
    coalesce(m.category, 'uncategorized') AS category,
    o.objective
FROM items AS w
LEFT JOIN matched AS m ON m.item_id = w.item_id
LEFT JOIN objectives AS o ON o.item_id = w.item_id
