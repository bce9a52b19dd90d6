-- name: stack_version_sprawl
-- title: Version sprawl
-- description: How many distinct versions of each dependency are in use across the
--   repositories' manifests at HEAD: a dependency's version is the one its lock file resolves,
--   else the requirement as written (an exact pin '==2.28.0' read as 2.28.0; a dependency with
--   neither counts in its repositories, not in its versions). Several versions of one library mean upgrades, fixes and security
--   patches done several times. Dependencies are told apart by ecosystem and name.
-- unit: versions
-- grain: dependency (the inventory at HEAD)
-- good_direction: down
-- value: versions
-- default_window_days: 0
-- parameters: repositories, until
-- uses: team_lineage, owner_scope, scoped_repositories
WITH pinned AS (
    SELECT d.*, coalesce(d.resolved, regexp_replace(d.declared, '^\s*={1,3}\s*', '')) AS version
    FROM stack_dependencies AS d
    JOIN scoped_repositories AS s ON s.repository_id = d.repository_id
)
SELECT
    d.ecosystem,
    d.name AS dependency,
    count(DISTINCT d.version) AS versions,
    count(DISTINCT d.repository_id) AS repositories,
    count(*) AS manifests,
    array_to_string(list_sort(list_distinct(list(d.version))), ', ') AS version_list
FROM pinned AS d
GROUP BY ALL
ORDER BY versions DESC, repositories DESC, d.ecosystem, dependency
