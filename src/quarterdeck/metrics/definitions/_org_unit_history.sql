-- fragment: org_unit_history
-- recursive: each team with itself and every unit above it, over the days that holds:
-- [valid_from, valid_to), open ends written as 0001-01-01 and 9999-12-31. A team that
-- moves to another parent is under the old units until the move and under the new ones
-- from then on. depth 0 is the team itself.
SELECT
    team_id,
    team_id AS unit_id,
    coalesce(valid_from, DATE '0001-01-01') AS valid_from,
    coalesce(valid_to, DATE '9999-12-31') AS valid_to,
    0 AS depth
FROM team_periods
UNION ALL
SELECT
    h.team_id,
    t.parent_id,
    greatest(h.valid_from, coalesce(t.valid_from, DATE '0001-01-01')),
    least(h.valid_to, coalesce(t.valid_to, DATE '9999-12-31')),
    h.depth + 1
FROM org_unit_history AS h
JOIN team_periods AS t
  ON t.team_id = h.unit_id
 AND coalesce(t.valid_from, DATE '0001-01-01') < h.valid_to
 AND coalesce(t.valid_to, DATE '9999-12-31') > h.valid_from
WHERE t.parent_id IS NOT NULL AND h.depth < 64
