-- fragment: owner_scope
-- For metrics of repositories and SLOs narrowed to a unit ($owner_unit: their --unit, or the
-- dashboard's team or unit scope): each team of that unit's subtree (the unit itself and every
-- unit below it) and the days it was in the subtree (team_lineage); empty when not narrowed.
SELECT l.team_id, l.valid_from, l.valid_to
FROM team_lineage AS l
JOIN team_aliases AS a ON a.team_id = l.unit_id
WHERE a.alias = $owner_unit
GROUP BY ALL
