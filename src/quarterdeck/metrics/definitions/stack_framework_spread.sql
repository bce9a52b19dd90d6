-- name: stack_framework_spread
-- title: Framework spread
-- description: The frameworks the repositories are built on (django, react, spring-boot,
--   rails...), told from their dependencies at HEAD by a rule table (docs/tech-stack.md), with
--   how many repositories use each and the versions in use (the lock file's, else the
--   version requirement as written). Per team (the teams owning each repository: services,
--   CODEOWNERS; '(no owner)' for the others), per repository, or for the organization.
-- unit: repositories
-- grain: group, framework (the inventory at HEAD)
-- good_direction: neither
-- value: repositories
-- default_window_days: 0
-- parameters: repositories, until, by
-- groupings: team, repository, org
-- uses: team_lineage, owner_scope, scoped_repositories, repository_teams
SELECT
    g.group_name AS "group",
    f.framework,
    count(DISTINCT f.repository_id) AS repositories,
    count(DISTINCT f.version) AS versions,
    array_to_string(list_sort(list_distinct(list(f.version))), ', ') AS version_list
FROM repository_teams AS g
JOIN stack_frameworks AS f ON f.repository_id = g.repository_id
GROUP BY ALL
ORDER BY "group", repositories DESC, f.framework
