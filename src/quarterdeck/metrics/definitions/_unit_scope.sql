-- fragment: unit_scope
-- With --unit: each team of that unit's subtree (the unit itself and every unit below it),
-- the days it was in the subtree (team_lineage), and how many levels below the unit it was
-- then; empty without --unit.
SELECT l.team_id, l.valid_from, l.valid_to, min(l.depth) AS depth
FROM team_lineage AS l
JOIN team_aliases AS a ON a.team_id = l.unit_id
WHERE a.alias = $unit
GROUP BY ALL
