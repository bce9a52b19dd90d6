-- fragment: scoped_repositories
-- The repositories a metric reports on: all of them, or those named with --repo; narrowed to
-- a unit ($owner_unit: bus factor's, code age's, hotspots' --unit; a team or unit scope of the
-- dashboard) only those owned, on the last day asked for, by a team of its subtree (owner_scope);
-- with $services (a service's scope on the dashboard) only those the services list. A
-- repository's owners are the team owning, that day, a service that lists it (org file or
-- catalog), and the team owning most of its lines at the tip through CODEOWNERS (file_owners;
-- then most files, then the first by id). A repository no team owns is in no unit's scope.
WITH last_day AS (
    SELECT CAST(timezone($timezone, $until_end) AS DATE) - 1 AS day
),
owners AS (
    SELECT r.repository_id, p.service_id, p.owner_team_id AS team_id
    FROM service_periods AS p
    CROSS JOIN unnest(p.repositories) AS u(name)
    JOIN repositories AS r ON r.name = u.name
    CROSS JOIN last_day AS d
    WHERE ($owner_unit <> '' OR len($services) > 0)  -- not narrowed: nothing to read
      AND (p.valid_from IS NULL OR p.valid_from <= d.day) AND (p.valid_to IS NULL OR p.valid_to > d.day)
    UNION ALL
    SELECT o.repository_id, NULL, o.team_id
    FROM file_owners AS o
    JOIN repository_files AS f ON f.repository_id = o.repository_id AND f.path = o.path
    WHERE $owner_unit <> '' AND o.team_id IS NOT NULL
    GROUP BY o.repository_id, o.team_id
    QUALIFY row_number() OVER (
        PARTITION BY o.repository_id ORDER BY sum(coalesce(f.lines, 0)) DESC, count(*) DESC, o.team_id
    ) = 1
)
SELECT r.repository_id, r.name AS repository
FROM repositories AS r
WHERE (len($repositories) = 0 OR list_contains($repositories, r.name))
  AND ($owner_unit = '' OR r.repository_id IN (
      SELECT o.repository_id
      FROM owners AS o
      JOIN owner_scope AS s ON s.team_id = o.team_id
      CROSS JOIN last_day AS d
      WHERE s.valid_from <= d.day AND s.valid_to > d.day
  ))
  AND (len($services) = 0 OR r.repository_id IN (
      SELECT repository_id FROM owners WHERE list_contains($services, service_id)
  ))
