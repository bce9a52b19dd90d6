-- fragment: scoped_slos
-- The SLOs a metric reports on: all of them; with --unit only those of the services owned, on
-- the last day asked for, by a team of that unit's subtree (owner_scope; a service without an
-- owning team is in no unit's scope); with $services (a service's scope on the dashboard)
-- only those of these services.
WITH last_day AS (
    SELECT CAST(timezone($timezone, $until_end) AS DATE) - 1 AS day
)
SELECT s.*
FROM slos AS s
WHERE (len($services) = 0 OR list_contains($services, s.service))
  AND ($owner_unit = '' OR s.service IN (
      SELECT p.service_id
      FROM service_periods AS p
      JOIN owner_scope AS u ON u.team_id = p.owner_team_id
      CROSS JOIN last_day AS d
      WHERE (p.valid_from IS NULL OR p.valid_from <= d.day) AND (p.valid_to IS NULL OR p.valid_to > d.day)
        AND u.valid_from <= d.day AND u.valid_to > d.day
  ))
