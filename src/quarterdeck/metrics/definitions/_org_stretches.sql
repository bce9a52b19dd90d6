-- fragment: org_stretches
-- Each person's employment inside each evaluation date's window (window_start .. date,
-- both included), cut into stretches [stretch_from, stretch_to) during which they
-- counted in one group for --by: their team, each unit above their team at the time
-- (org_unit_history), their level, location, ... as their periods say day by day. --unit
-- keeps the days on which their team was in that unit's subtree, and --by unit then
-- lists only the units of that subtree. A stretch that ends on the period's valid_to
-- holds the period's last day (for a leaver: their last day).
WITH in_window AS (
    SELECT
        d.date,
        d.window_start,
        p.person_id,
        p.team_id,
        p.level,
        coalesce(p.role, p.title) AS role,
        p.location,
        p.employment_type,
        p.valid_to,
        p.leaves,
        p.regretted,
        p.end_inferred,
        greatest(p.valid_from, d.window_start) AS stretch_from,
        least(coalesce(p.valid_to, d.date + 1), d.date + 1) AS stretch_to
    FROM org_dates AS d
    JOIN person_periods AS p
      ON p.valid_from <= d.date AND (p.valid_to IS NULL OR p.valid_to > d.window_start)
),
in_scope AS (
    SELECT
        w.date, w.window_start, w.person_id, w.team_id, w.level, w.role, w.location,
        w.employment_type, w.valid_to, w.leaves, w.regretted, w.end_inferred,
        greatest(w.stretch_from, h.valid_from) AS stretch_from,
        least(w.stretch_to, h.valid_to) AS stretch_to,
        h.depth AS unit_depth
    FROM in_window AS w
    JOIN org_unit_history AS h
      ON h.team_id = w.team_id AND h.valid_from < w.stretch_to AND h.valid_to > w.stretch_from
    WHERE $unit <> '' AND h.unit_id IN (SELECT team_id FROM team_aliases WHERE alias = $unit)
    UNION ALL
    SELECT *, NULL AS unit_depth FROM in_window WHERE $unit = ''
)
SELECT
    s.date, s.window_start, s.person_id, s.valid_to, s.leaves, s.regretted, s.end_inferred,
    h.unit_id AS group_name,
    greatest(s.stretch_from, h.valid_from) AS stretch_from,
    least(s.stretch_to, h.valid_to) AS stretch_to
FROM in_scope AS s
JOIN org_unit_history AS h
  ON h.team_id = s.team_id AND h.valid_from < s.stretch_to AND h.valid_to > s.stretch_from
WHERE $by = 'unit' AND ($unit = '' OR h.depth <= s.unit_depth)
UNION ALL
SELECT
    s.date, s.window_start, s.person_id, s.valid_to, s.leaves, s.regretted, s.end_inferred,
    '(no team)' AS group_name, s.stretch_from, s.stretch_to
FROM in_scope AS s
WHERE $by = 'unit' AND s.team_id IS NULL
UNION ALL
SELECT
    s.date, s.window_start, s.person_id, s.valid_to, s.leaves, s.regretted, s.end_inferred,
    CASE $by
        WHEN 'team' THEN coalesce(s.team_id, '(no team)')
        WHEN 'level' THEN coalesce(s.level, '(no level)')
        WHEN 'location' THEN coalesce(s.location, '(no location)')
        WHEN 'role' THEN coalesce(s.role, '(no role)')
        WHEN 'employment_type' THEN coalesce(s.employment_type, '(no employment type)')
        ELSE 'organization' END AS group_name,
    s.stretch_from,
    s.stretch_to
FROM in_scope AS s
WHERE $by <> 'unit'
