-- name: stack_licence_mix
-- title: Dependency licence mix
-- description: The licences of the dependencies declared at HEAD, as the repository itself
--   says them (an SBOM such as CycloneDX bom.json or SPDX JSON, vendored package metadata),
--   'unknown' otherwise, counted openly. copyleft: 'strong' (GPL, AGPL, SSPL, EUPL, OSL: a
--   combined work must carry the same licence), 'weak' (LGPL, MPL, EPL, CDDL, CPL, MS-RL:
--   changes to the licensed files must be shared), 'none', or 'unknown'. An expression
--   offering a choice (MIT OR GPL-3.0) is as copyleft as its least copyleft choice; one
--   combining licences (MIT AND GPL-3.0) as its most. A dependency counts once per repository.
--   For the organization, per team (services, CODEOWNERS; '(no owner)') or per repository.
-- unit: dependencies
-- grain: group, licence (the inventory at HEAD)
-- good_direction: neither
-- value: dependencies
-- default_window_days: 0
-- parameters: repositories, until, by
-- groupings: org, team, repository
-- uses: team_lineage, owner_scope, scoped_repositories, repository_teams
WITH deps AS (
    SELECT DISTINCT g.group_name, d.repository_id, d.ecosystem, d.name, coalesce(d.licence, 'unknown') AS licence
    FROM repository_teams AS g
    JOIN stack_dependencies AS d ON d.repository_id = g.repository_id
),
ranked AS (
    SELECT
        *,
        list_min(list_transform(
            string_split(licence, ' OR '),
            lambda choice: list_max(list_transform(
                string_split(replace(replace(choice, '(', ''), ')', ''), ' AND '),
                lambda id: CASE
                    WHEN regexp_matches(upper(trim(id)), '^(LGPL|MPL|EPL|CDDL|CPL|MS-RL)') THEN 1
                    WHEN regexp_matches(upper(trim(id)), '^(GPL|AGPL|SSPL|EUPL|OSL)-') THEN 2
                    ELSE 0
                END
            ))
        )) AS rank
    FROM deps
)
SELECT
    group_name AS "group",
    licence,
    CASE WHEN licence = 'unknown' THEN 'unknown' ELSE ['none', 'weak', 'strong'][rank + 1] END AS copyleft,
    count(*) AS dependencies,
    count(DISTINCT repository_id) AS repositories
FROM ranked
GROUP BY ALL
ORDER BY "group", dependencies DESC, licence
