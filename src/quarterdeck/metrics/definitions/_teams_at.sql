-- fragment: teams_at
-- The teams that exist on each evaluation date, with their parent, type and manager.
SELECT d.date, t.team_id, t.name, t.parent_id, t.type, t.manager_id
FROM org_dates AS d
JOIN team_periods AS t
  ON (t.valid_from IS NULL OR t.valid_from <= d.date) AND (t.valid_to IS NULL OR t.valid_to > d.date)
