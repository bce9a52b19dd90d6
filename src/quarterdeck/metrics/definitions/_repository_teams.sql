-- fragment: repository_teams
-- The group each repository in scope (scoped_repositories) counts in for --by: the
-- organization (org), the repository itself (repository), or each team owning it on the last
-- day asked for (team), ownership decided as scoped_repositories does: the team owning, that
-- day, a service that lists the repository (org file or catalog), and the team owning most of
-- its lines at the tip through CODEOWNERS. A repository no team owns counts in '(no owner)',
-- so the groups of --by team cover every repository.
WITH last_day AS (
    SELECT CAST(timezone($timezone, $until_end) AS DATE) - 1 AS day
),
owners AS (
    SELECT r.repository_id, p.owner_team_id AS team_id
    FROM service_periods AS p
    CROSS JOIN unnest(p.repositories) AS u(name)
    JOIN repositories AS r ON r.name = u.name
    CROSS JOIN last_day AS d
    WHERE p.owner_team_id IS NOT NULL
      AND (p.valid_from IS NULL OR p.valid_from <= d.day) AND (p.valid_to IS NULL OR p.valid_to > d.day)
    UNION
    SELECT o.repository_id, o.team_id
    FROM file_owners AS o
    JOIN repository_files AS f ON f.repository_id = o.repository_id AND f.path = o.path
    WHERE o.team_id IS NOT NULL
    GROUP BY o.repository_id, o.team_id
    QUALIFY row_number() OVER (
        PARTITION BY o.repository_id ORDER BY sum(coalesce(f.lines, 0)) DESC, count(*) DESC, o.team_id
    ) = 1
)
SELECT
    s.repository_id,
    s.repository,
    CASE $by
        WHEN 'org' THEN 'organization'
        WHEN 'repository' THEN s.repository
        ELSE coalesce(o.team_id, '(no owner)')
    END AS group_name
FROM scoped_repositories AS s
LEFT JOIN owners AS o ON o.repository_id = s.repository_id AND $by = 'team'
