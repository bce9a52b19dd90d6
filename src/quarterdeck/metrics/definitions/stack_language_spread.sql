-- name: stack_language_spread
-- title: Language spread
-- description: The languages the code is written in, by lines at each repository's HEAD as
--   last ingested (the tech-stack inventory, docs/tech-stack.md): a file's language is told by
--   its extension or name, or by the shebang of a file without an extension; vendored folders,
--   binary files, data and prose files are not counted. Per team (the teams owning each
--   repository: services, CODEOWNERS; '(no owner)' for the others), per repository, or for
--   the organization. Many languages in one team is entropy: harder to staff, to review, to
--   keep secure.
-- unit: lines
-- grain: group, language (the inventory at HEAD)
-- good_direction: neither
-- value: lines
-- default_window_days: 0
-- parameters: repositories, until, by
-- groupings: team, repository, org
-- uses: team_lineage, owner_scope, scoped_repositories, repository_teams
SELECT
    g.group_name AS "group",
    l.language,
    count(DISTINCT l.repository_id) AS repositories,
    sum(l.files) AS files,
    sum(l.lines) AS lines,
    round(sum(l.lines) / nullif(sum(sum(l.lines)) OVER (PARTITION BY g.group_name), 0), 4) AS share_of_lines
FROM repository_teams AS g
JOIN stack_languages AS l ON l.repository_id = g.repository_id
GROUP BY g.group_name, l.language
ORDER BY "group", lines DESC, l.language
