-- fragment: availability_groups
-- The availability data inside the window (availability_inside: per service, kind and day),
-- each with its period (organization time zone) and group for --by: the organization, the
-- service, the team owning the service that day, or each unit that team was in
-- (team_units). --unit keeps the services owned that day by a team of the unit's subtree.
SELECT
    i.kind,
    i.good,
    i.total,
    time_bucket($period, CAST(i.day AS DATE), $period_origin) AS period_start,
    CASE $by
        WHEN 'org' THEN 'organization'
        WHEN 'service' THEN i.service
        WHEN 'unit' THEN coalesce(u.unit_id, t.team_id, '(no team)')
        ELSE coalesce(t.team_id, '(no team)')
    END AS group_name
FROM availability_inside AS i
LEFT JOIN service_teams AS t
  ON t.service_id = i.service
 AND (t.valid_from IS NULL OR t.valid_from <= i.day)
 AND (t.valid_to IS NULL OR t.valid_to > i.day)
LEFT JOIN team_units AS u
  ON ($by = 'unit' OR $unit <> '') AND u.team_id = t.team_id AND u.valid_from <= i.day AND u.valid_to > i.day
WHERE $unit = '' OR u.team_id IS NOT NULL
