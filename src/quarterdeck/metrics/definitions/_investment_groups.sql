-- fragment: investment_groups
-- The rows of investment_effort with the group each counts in for --by: 'organization'
-- (org), the person's team that month (team; '(no team)' when the export gives none), the
-- team and every unit above it (unit: counted once in each), or the objective of the work
-- item (objective; '(no objective)' for work under no epic the rules map). Units are taken
-- as they were on the month's first day inside the window. --unit keeps the rows of teams
-- in that unit's subtree.
WITH dated AS (
    SELECT e.*, greatest(e.month, CAST(timezone($timezone, $since) AS DATE)) AS day
    FROM investment_effort AS e
)
SELECT d.*, CASE $by
    WHEN 'team' THEN coalesce(d.team_id, '(no team)')
    WHEN 'objective' THEN coalesce(d.objective, '(no objective)')
    ELSE 'organization' END AS group_name
FROM dated AS d
WHERE $by <> 'unit'
  AND ($unit = '' OR EXISTS (
      SELECT 1 FROM team_units AS u WHERE u.team_id = d.team_id AND u.valid_from <= d.day AND u.valid_to > d.day
  ))
UNION ALL
SELECT d.*, u.unit_id AS group_name
FROM dated AS d
JOIN team_units AS u ON u.team_id = d.team_id AND u.valid_from <= d.day AND u.valid_to > d.day
WHERE $by = 'unit'
UNION ALL
SELECT d.*, '(no team)' AS group_name
FROM dated AS d
WHERE $by = 'unit' AND d.team_id IS NULL AND $unit = ''
