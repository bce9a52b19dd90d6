-- name: stack_off_standard
-- title: Off the standard stack
-- description: Where repositories leave the organization's declared standard stack (the
--   standards file, standards.yaml: docs/tech-stack.md), one row per finding at HEAD: a
--   language or a framework not in its allowed list, a dependency whose version is outside
--   its allowed range (the lock file's version, else the lowest the requirement allows; a
--   dependency without either is not judged), a dependency whose licence is banned (an
--   expression offering a choice is banned only when every choice is). A rule the file does
--   not give is not checked: without a standards file there are no findings.
-- unit: findings
-- grain: repository, finding (the inventory at HEAD)
-- good_direction: down
-- value: findings
-- default_window_days: 0
-- parameters: repositories, until
-- uses: team_lineage, owner_scope, scoped_repositories
WITH rules AS (
    SELECT
        unnest($rule_dependencies) AS dependency,
        unnest($rule_operators) AS operator,
        unnest($rule_versions) AS version
),
deps AS (
    SELECT
        d.*,
        nullif(regexp_extract(coalesce(d.resolved, d.declared, ''), '\d+(\.\d+)*', 0), '') AS version
    FROM stack_dependencies AS d
    JOIN scoped_repositories AS s ON s.repository_id = d.repository_id
),
compared AS (
    SELECT
        d.repository_id,
        d.name,
        d.version,
        r.operator || r.version AS bound,
        list_concat(list_transform(string_split(d.version, '.'), lambda x: CAST(x AS BIGINT)), [0, 0, 0, 0])[1:4] AS have,
        list_concat(list_transform(string_split(r.version, '.'), lambda x: CAST(x AS BIGINT)), [0, 0, 0, 0])[1:4] AS want,
        r.operator
    FROM deps AS d
    JOIN rules AS r ON lower(r.dependency) = lower(d.name)
    WHERE d.version IS NOT NULL
),
findings AS (
    SELECT l.repository_id, 'language' AS rule, l.language AS item, format('{} lines', l.lines) AS found,
           array_to_string($standard_languages, ', ') AS standard
    FROM stack_languages AS l
    JOIN scoped_repositories AS s ON s.repository_id = l.repository_id
    WHERE len($standard_languages) > 0
      AND NOT list_contains(list_transform($standard_languages, lambda x: lower(x)), lower(l.language))
    UNION ALL
    SELECT f.repository_id, 'framework', f.framework, coalesce(string_agg(DISTINCT f.version, ', '), ''),
           array_to_string($standard_frameworks, ', ')
    FROM stack_frameworks AS f
    JOIN scoped_repositories AS s ON s.repository_id = f.repository_id
    WHERE len($standard_frameworks) > 0 AND NOT list_contains($standard_frameworks, lower(f.framework))
    GROUP BY f.repository_id, f.framework
    UNION ALL
    SELECT repository_id, 'dependency version', name, version, string_agg(DISTINCT bound, ',' ORDER BY bound)
    FROM compared
    GROUP BY repository_id, name, version
    HAVING bool_or(NOT CASE operator
        WHEN '>=' THEN have >= want WHEN '>' THEN have > want WHEN '<=' THEN have <= want
        WHEN '<' THEN have < want WHEN '==' THEN have = want ELSE have <> want
    END)
    UNION ALL
    SELECT DISTINCT d.repository_id, 'licence', d.name, d.licence, 'banned: ' || array_to_string($banned_licences, ', ')
    FROM deps AS d
    WHERE len($banned_licences) > 0 AND d.licence IS NOT NULL
      AND list_bool_and(list_transform(
          string_split(d.licence, ' OR '),
          lambda choice: list_has_any(
              list_transform(string_split(replace(replace(choice, '(', ''), ')', ''), ' AND '), lambda x: trim(x)),
              $banned_licences
          )
      ))
)
SELECT s.repository, f.rule, f.item, f.found, f.standard
FROM findings AS f
JOIN scoped_repositories AS s ON s.repository_id = f.repository_id
ORDER BY s.repository, f.rule, f.item, f.found
