-- fragment: org_groups
-- The people of people_at with the group they count in for --by: the organization as a
-- whole, their team, every unit their team belongs to (--by unit: a person counts in
-- their team and in each unit above it), or a personal attribute. --unit keeps only the
-- people whose team is in that unit's subtree, and --by unit then lists only the units
-- of that subtree (the unit itself and the units below it).
WITH chosen_unit AS (
    SELECT x.date, x.team_id
    FROM unit_tree AS x JOIN team_aliases AS a ON a.team_id = x.unit_id
    WHERE a.alias = $unit
),
in_scope AS (
    SELECT p.*
    FROM people_at AS p
    WHERE $unit = ''
       OR EXISTS (SELECT 1 FROM chosen_unit AS c WHERE c.date = p.date AND c.team_id = p.team_id)
)
SELECT s.*, u.unit_id AS group_name
FROM in_scope AS s JOIN unit_tree AS u ON u.date = s.date AND u.team_id = s.team_id
WHERE $by = 'unit'
  AND ($unit = '' OR EXISTS (
      SELECT 1 FROM chosen_unit AS c WHERE c.date = u.date AND c.team_id = u.unit_id
  ))
UNION ALL
SELECT s.*, '(no team)' AS group_name FROM in_scope AS s WHERE $by = 'unit' AND s.team_id IS NULL
UNION ALL
SELECT s.*, CASE $by
    WHEN 'team' THEN coalesce(s.team_id, '(no team)')
    WHEN 'level' THEN coalesce(s.level, '(no level)')
    WHEN 'location' THEN coalesce(s.location, '(no location)')
    WHEN 'role' THEN coalesce(s.role, '(no role)')
    WHEN 'employment_type' THEN coalesce(s.employment_type, '(no employment type)')
    ELSE 'organization' END AS group_name
FROM in_scope AS s
WHERE $by <> 'unit'
