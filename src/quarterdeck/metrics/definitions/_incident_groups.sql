-- fragment: incident_groups
-- Incidents created in the window, each with its day and period (organization time zone),
-- its group for --by (the organization, its service, the team owning the service that
-- day, '(no team)' when it has none, or each unit that team was in: team_units), its
-- attributed deployment and that deployment's finish. An incident that names no service
-- counts for the organization only. --unit keeps the incidents of services owned that day
-- by a team of the unit's subtree.
SELECT
    i.*,
    time_bucket($period, CAST(i.day AS DATE), $period_origin) AS period_start,
    CASE $by
        WHEN 'org' THEN 'organization'
        WHEN 'service' THEN i.service
        WHEN 'unit' THEN coalesce(u.unit_id, t.team_id, '(no team)')
        ELSE coalesce(t.team_id, '(no team)')
    END AS group_name,
    l.deployment_id AS attributed_deployment_id,
    l.link,
    (SELECT max(d.finished_at) FROM deployments AS d WHERE d.deployment_id = l.deployment_id) AS deployment_finished_at
FROM (
    SELECT *, CAST(timezone($timezone, created_at) AS DATE) AS day
    FROM incidents
    WHERE created_at >= $since AND created_at < $until_end AND ($by = 'org' OR service IS NOT NULL)
) AS i
LEFT JOIN incident_deployments AS l ON l.incident_id = i.incident_id
LEFT JOIN service_teams AS t
  ON t.service_id = i.service
 AND (t.valid_from IS NULL OR t.valid_from <= i.day)
 AND (t.valid_to IS NULL OR t.valid_to > i.day)
LEFT JOIN team_units AS u
  ON ($by = 'unit' OR $unit <> '') AND u.team_id = t.team_id AND u.valid_from <= i.day AND u.valid_to > i.day
WHERE $unit = '' OR u.team_id IS NOT NULL
