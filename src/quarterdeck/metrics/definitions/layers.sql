-- name: layers
-- title: Management layers
-- description: How deep the management chain is. Each person's layer is the number of
--   people from the top of the organization down to them, both included: a top (no
--   manager) is layer 1, their direct reports layer 2, and so on; layers are always
--   counted from the top of the whole organization, also with --unit. Someone whose
--   manager has left, while the exports still name that manager, stays one layer below
--   the departed manager's place. Per group (by each person's own team, or each unit
--   above it): headcount, the deepest layer (max_layers), people per layer from layer 1
--   to max_layers (people_per_layer, zeros included), individual contributors (no direct
--   report) and their mean number of managers above them (layer - 1). Orgvue: headcount
--   per layer and the maximum depth. The org chart's structure: not hidden for small
--   groups, and not grouped by personal attributes.
-- unit: layers
-- grain: group, date (--at, or monthly with --since/--until)
-- good_direction: down
-- value: max_layers
-- default_window_days: 365
-- parameters: at, since, until, by, unit
-- groupings: org, unit, team
-- group_size: headcount
-- uses: org_dates, people_at, teams_at, unit_tree, org_groups, org_reports, org_positions, org_layers
WITH placed AS (
    SELECT g.date, g.group_name, g.person_id, l.layer, r.direct_reports = 0 AS ic
    FROM org_groups AS g
    JOIN org_layers AS l ON l.date = g.date AND l.person_id = g.person_id
    JOIN org_reports AS r ON r.date = g.date AND r.person_id = g.person_id
),
per_group AS (
    SELECT
        date,
        group_name,
        count(*) AS headcount,
        max(layer) AS max_layers,
        count(*) FILTER (WHERE ic) AS ics,
        round(avg(layer - 1) FILTER (WHERE ic), 2) AS ic_mean_layers_above
    FROM placed
    GROUP BY date, group_name
),
per_layer AS (
    SELECT date, group_name, layer, count(*) AS people
    FROM placed
    GROUP BY date, group_name, layer
),
every_layer AS (
    SELECT date, group_name, unnest(range(1, max_layers + 1)) AS layer
    FROM per_group
),
distribution AS (
    SELECT e.date, e.group_name, list(coalesce(p.people, 0) ORDER BY e.layer) AS people_per_layer
    FROM every_layer AS e
    LEFT JOIN per_layer AS p ON p.date = e.date AND p.group_name = e.group_name AND p.layer = e.layer
    GROUP BY e.date, e.group_name
)
SELECT
    g.date,
    g.group_name AS "group",
    g.headcount,
    g.max_layers,
    d.people_per_layer,
    g.ics,
    g.ic_mean_layers_above
FROM per_group AS g
JOIN distribution AS d ON d.date = g.date AND d.group_name = g.group_name
ORDER BY g.date, "group"
