-- fragment: ci_groups
-- CI runs queued (else started) in the window, with their period (organization time zone),
-- group for --by (the organization, the repository, the workflow, or the team owning, on
-- that day, a service that lists the repository; the first by id when several do; or each
-- unit that team was in: team_units), queue and run times in minutes. --unit keeps the runs
-- of repositories whose team that day is in the unit's subtree.
WITH repository_teams AS (
    SELECT u.name AS repository, p.valid_from, p.valid_to, p.owner_team_id AS team_id
    FROM service_periods AS p, unnest(p.repositories) AS u(name)
    WHERE p.owner_team_id IS NOT NULL
),
runs AS (
    SELECT r.*, CAST(timezone($timezone, coalesce(r.queued_at, r.started_at)) AS DATE) AS day
    FROM ci_runs AS r
    WHERE coalesce(r.queued_at, r.started_at) >= $since AND coalesce(r.queued_at, r.started_at) < $until_end
),
teams AS (
    SELECT r.run_id, min(t.team_id) AS team_id
    FROM runs AS r
    JOIN repository_teams AS t
      ON t.repository = r.repository
     AND (t.valid_from IS NULL OR t.valid_from <= r.day)
     AND (t.valid_to IS NULL OR t.valid_to > r.day)
    WHERE $by IN ('team', 'unit') OR $unit <> ''
    GROUP BY ALL
)
SELECT
    r.*,
    time_bucket($period, CAST(r.day AS DATE), $period_origin) AS period_start,
    CASE $by
        WHEN 'org' THEN 'organization'
        WHEN 'repository' THEN r.repository
        WHEN 'workflow' THEN r.repository || ': ' || r.workflow
        WHEN 'unit' THEN coalesce(u.unit_id, t.team_id, '(no team)')
        ELSE coalesce(t.team_id, '(no team)')
    END AS group_name,
    (epoch(r.started_at) - epoch(r.queued_at)) / 60 AS queue_minutes,
    (epoch(r.finished_at) - epoch(r.started_at)) / 60 AS run_minutes
FROM runs AS r
LEFT JOIN teams AS t ON t.run_id = r.run_id
LEFT JOIN team_units AS u
  ON ($by = 'unit' OR $unit <> '') AND u.team_id = t.team_id AND u.valid_from <= r.day AND u.valid_to > r.day
WHERE $unit = '' OR u.team_id IS NOT NULL
