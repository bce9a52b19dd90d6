-- fragment: people_at
-- Everyone employed on each evaluation date, with their team, manager, level and cost on
-- that date. A person's periods never overlap (the import guarantees it, rehires
-- included), so each person appears once per date.
SELECT
    d.date,
    d.window_start,
    p.person_id,
    p.team_id,
    p.manager_id,
    p.title,
    p.level,
    coalesce(p.role, p.title) AS role,
    p.location,
    p.employment_type,
    p.annual_cost,
    p.start_date
FROM org_dates AS d
JOIN person_periods AS p
  ON p.valid_from <= d.date AND (p.valid_to IS NULL OR p.valid_to > d.date)
