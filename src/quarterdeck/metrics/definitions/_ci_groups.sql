-- fragment: ci_groups
-- CI runs queued (else started) in the window, with their period (organization time zone),
-- group for --by (the organization, the repository, the workflow, or the team owning a
-- service that lists the repository), queue and run times in minutes.
WITH repository_teams AS (
    SELECT u.name AS repository, min(p.owner_team_id) AS team_id
    FROM service_periods AS p, unnest(p.repositories) AS u(name)
    WHERE p.valid_to IS NULL AND p.owner_team_id IS NOT NULL
    GROUP BY ALL
)
SELECT
    r.*,
    CAST(date_trunc($grain, timezone($timezone, coalesce(r.queued_at, r.started_at))) AS DATE) AS period_start,
    CASE $by
        WHEN 'org' THEN 'organization'
        WHEN 'repository' THEN r.repository
        WHEN 'workflow' THEN r.repository || ': ' || r.workflow
        ELSE coalesce(t.team_id, '(no team)')
    END AS group_name,
    epoch(r.started_at - r.queued_at) / 60 AS queue_minutes,
    epoch(r.finished_at - r.started_at) / 60 AS run_minutes
FROM ci_runs AS r
LEFT JOIN repository_teams AS t ON t.repository = r.repository
WHERE coalesce(r.queued_at, r.started_at) >= $since AND coalesce(r.queued_at, r.started_at) < $until_end
