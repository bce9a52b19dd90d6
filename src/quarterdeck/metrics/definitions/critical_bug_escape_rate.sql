-- name: critical_bug_escape_rate
-- title: Critical bug escape rate
-- description: Of the critical bugs found (created) in the period, the share found in
--   production: a production label (bugs.production_labels: production,
--   found-in:production ...) or a production value in the found-in field (Jira:
--   Environment; bugs.production_values: production, prod). found, in_production and
--   escape_rate = in_production / found; no rate in a period without critical bugs. By
--   team: the team of the assignee's person on the day the bug was created.
-- unit: share of critical bugs
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: escape_rate
-- default_window_days: 84
-- parameters: since, until, grain, by, unit
-- groupings: org, team, unit
-- uses: delivery_periods, critical_bugs, critical_bug_periods, team_lineage, unit_scope, team_units, critical_bug_groups
-- tile: reliability
-- tile_order: 50
WITH seen AS (
    SELECT DISTINCT group_name FROM critical_bug_groups
    UNION SELECT 'organization' WHERE $by = 'org' AND EXISTS (SELECT 1 FROM issues)
),
stats AS (
    SELECT
        group_name,
        period_start,
        count(*) AS found,
        count(*) FILTER (WHERE found_in_production) AS in_production
    FROM critical_bug_groups
    WHERE kind = 'found'
    GROUP BY ALL
)
SELECT
    s.group_name AS "group",
    p.period_start,
    coalesce(c.found, 0) AS found,
    coalesce(c.in_production, 0) AS in_production,
    c.in_production / c.found AS escape_rate
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN stats AS c ON c.group_name = s.group_name AND c.period_start = p.period_start
ORDER BY "group", p.period_start
