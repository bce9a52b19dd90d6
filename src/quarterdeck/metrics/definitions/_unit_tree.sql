-- fragment: unit_tree
-- recursive: each team with itself and every unit above it (its parent, the parent's
-- parent, ...) on each date; depth 0 is the team itself.
SELECT date, team_id, team_id AS unit_id, 0 AS depth FROM teams_at
UNION ALL
SELECT u.date, u.team_id, t.parent_id, u.depth + 1
FROM unit_tree AS u
JOIN teams_at AS t ON t.date = u.date AND t.team_id = u.unit_id
WHERE t.parent_id IS NOT NULL AND u.depth < 64
