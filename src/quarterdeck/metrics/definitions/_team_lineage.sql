-- fragment: team_lineage
-- recursive: each team with itself and every unit above it, and the days over which that
-- holds: depth 0 is the team over each of its periods, depth 1 its parent over the part of
-- that period the parent existed, and so on up. valid_from is inclusive, valid_to
-- exclusive; open bounds read as 0001-01-01 and 9999-12-31, so a day is inside when
-- valid_from <= day < valid_to. A reorg that moves a team to another division moves what
-- it does from the day of the reorg on, and leaves what it did before where it was.
SELECT
    team_id,
    team_id AS unit_id,
    0 AS depth,
    coalesce(valid_from, DATE '0001-01-01') AS valid_from,
    coalesce(valid_to, DATE '9999-12-31') AS valid_to,
    parent_id
FROM team_periods
UNION ALL
SELECT
    l.team_id,
    p.team_id,
    l.depth + 1,
    greatest(l.valid_from, coalesce(p.valid_from, DATE '0001-01-01')),
    least(l.valid_to, coalesce(p.valid_to, DATE '9999-12-31')),
    p.parent_id
FROM team_lineage AS l
JOIN team_periods AS p
  ON p.team_id = l.parent_id
 AND coalesce(p.valid_from, DATE '0001-01-01') < l.valid_to
 AND coalesce(p.valid_to, DATE '9999-12-31') > l.valid_from
WHERE l.depth < 64
