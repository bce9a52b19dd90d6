-- fragment: commit_groups
-- The commits of commit_teams with the group each counts in for --by: 'organization'
-- (org), the author's team (team), or that team and every unit above it (unit: one commit
-- counts once in each). Commits without a team count in '(unmatched)' or '(no team)', so
-- the groups of --by team add up to the organization. --unit keeps the commits whose team
-- is in that unit's subtree on the commit's date, and --by unit then lists that unit and
-- the units below it, not those above.
WITH scope AS (
    SELECT u.date, u.team_id, min(u.depth) AS depth
    FROM commit_units AS u
    JOIN team_aliases AS a ON a.team_id = u.unit_id
    WHERE a.alias = $unit
    GROUP BY ALL
),
scoped AS (
    SELECT c.*, s.depth AS scope_depth
    FROM commit_teams AS c
    LEFT JOIN scope AS s ON s.date = c.author_date AND s.team_id = c.team_id
    WHERE $unit = '' OR s.team_id IS NOT NULL
)
SELECT c.*, u.unit_id AS group_name
FROM scoped AS c
JOIN commit_units AS u ON u.date = c.author_date AND u.team_id = c.team_id
WHERE $by = 'unit' AND (c.scope_depth IS NULL OR u.depth <= c.scope_depth)
UNION ALL
SELECT c.*, CASE WHEN $by = 'org' THEN 'organization' ELSE coalesce(c.team_id, c.unattributed) END AS group_name
FROM scoped AS c
WHERE $by <> 'unit' OR c.team_id IS NULL
