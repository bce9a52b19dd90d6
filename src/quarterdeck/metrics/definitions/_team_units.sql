-- fragment: team_units
-- The units a team's work counts in, and the days over which that holds: with --by unit,
-- the team and every unit above it (team_lineage: what a team does counts once in each);
-- otherwise the team alone. With --unit, only the teams of that unit's subtree on those
-- days (unit_scope), and --by unit then stops at that unit: it lists the unit and the
-- units below it, not those above.
SELECT
    l.team_id,
    l.unit_id,
    greatest(l.valid_from, s.valid_from) AS valid_from,
    least(l.valid_to, s.valid_to) AS valid_to
FROM team_lineage AS l
LEFT JOIN unit_scope AS s ON s.team_id = l.team_id AND s.valid_from < l.valid_to AND s.valid_to > l.valid_from
WHERE (l.depth = 0 OR $by = 'unit')
  AND ($unit = '' OR (s.team_id IS NOT NULL AND l.depth <= s.depth))
