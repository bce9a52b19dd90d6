-- fragment: deployment_groups
-- Successful production deployments finished in the window, counted once per id at the
-- latest finish of its rows, each with its day and period in the organization's time zone
-- and its group for --by: the organization, its service, the team owning that service on
-- that day, each unit that team was in that day (--by unit, team_units), or each repository
-- it deployed (as named by the source, else as found in git). --unit keeps the deployments
-- of services owned that day by a team of the unit's subtree.
WITH finished AS (
    -- a deployment that finished in the window has a row that finished in it (its last)
    SELECT deployment_id, max(finished_at) AS finished_at, any_value(service) AS service
    FROM deployments
    WHERE result = 'success' AND is_production
      AND deployment_id IN (
          SELECT deployment_id FROM deployments WHERE finished_at >= $since AND finished_at < $until_end
      )
    GROUP BY deployment_id
    HAVING max(finished_at) >= $since AND max(finished_at) < $until_end
),
placed AS (
    SELECT
        f.*,
        CAST(timezone($timezone, f.finished_at) AS DATE) AS day,
        coalesce(nullif(d.repository, ''), r.name, '(no repository)') AS repository
    FROM finished AS f
    JOIN deployments AS d ON d.deployment_id = f.deployment_id AND d.result = 'success' AND d.is_production
    LEFT JOIN deployment_walks AS w ON w.deployment_id = d.deployment_id AND d.repository = ''
    LEFT JOIN repositories AS r ON r.repository_id = w.repository_id
)
SELECT DISTINCT
    p.deployment_id,
    p.finished_at,
    p.day,
    time_bucket($period, CAST(p.day AS DATE), $period_origin) AS period_start,
    CASE $by
        WHEN 'org' THEN 'organization'
        WHEN 'service' THEN p.service
        WHEN 'repository' THEN p.repository
        WHEN 'unit' THEN coalesce(u.unit_id, t.team_id, '(no team)')
        ELSE coalesce(t.team_id, '(no team)')
    END AS group_name
FROM placed AS p
LEFT JOIN service_teams AS t
  ON t.service_id = p.service
 AND (t.valid_from IS NULL OR t.valid_from <= p.day)
 AND (t.valid_to IS NULL OR t.valid_to > p.day)
LEFT JOIN team_units AS u
  ON ($by = 'unit' OR $unit <> '') AND u.team_id = t.team_id AND u.valid_from <= p.day AND u.valid_to > p.day
WHERE $unit = '' OR u.team_id IS NOT NULL
