-- fragment: month_units
-- The units a team's money counts in, month by month (the months of window_months): with
-- --by unit, the team and every unit above it (team_lineage); otherwise the team alone.
-- When the structure changed during a month, the month counts where the team stood last
-- that month, once at each level. With --unit, only the teams of that unit's subtree that
-- month (unit_scope), and --by unit then stops at that unit: it lists the unit and the
-- units below it.
WITH placed AS (
    SELECT
        l.team_id,
        w.month,
        l.unit_id,
        l.depth,
        row_number() OVER (PARTITION BY l.team_id, w.month, l.depth ORDER BY l.valid_from DESC) AS latest
    FROM team_lineage AS l
    JOIN window_months AS w ON l.valid_from < w.month + INTERVAL 1 MONTH AND l.valid_to > w.month
    WHERE l.depth = 0 OR $by = 'unit'
),
scoped AS (
    SELECT s.team_id, w.month, s.depth,
        row_number() OVER (PARTITION BY s.team_id, w.month ORDER BY s.valid_from DESC) AS latest
    FROM unit_scope AS s
    JOIN window_months AS w ON s.valid_from < w.month + INTERVAL 1 MONTH AND s.valid_to > w.month
)
SELECT p.team_id, p.month, p.unit_id
FROM placed AS p
LEFT JOIN scoped AS s ON s.team_id = p.team_id AND s.month = p.month AND s.latest = 1
WHERE p.latest = 1
  AND ($unit = '' OR (s.team_id IS NOT NULL AND p.depth <= s.depth))
