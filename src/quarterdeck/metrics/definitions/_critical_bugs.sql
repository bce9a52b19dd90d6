-- fragment: critical_bugs
-- The tracker issues (Jira, GitHub: the issues table) that are critical bugs: marked as bugs
-- by their connector (Jira: the issue type; GitHub: a bug label) and with a critical
-- priority, by name or id ($critical_priorities, the setting bugs.critical_priorities), or a
-- critical label ($critical_labels); compared without case. found_in_production: one of
-- its labels is a production label ($production_labels), or a value of its found-in field
-- (Jira: Environment, or the source's found_in_field) holds a production value as whole
-- words ($production_words: each value's words between spaces). assignee_identity_id: the
-- identity of the account it is assigned to (NULL when unassigned).
SELECT
    i.source,
    i.issue_key,
    i.project,
    i.priority,
    i.created_at,
    i.resolved_at,
    i.source || ':' || lower(i.assignee) AS assignee_identity_id,
    EXISTS (
        SELECT 1 FROM unnest(coalesce(i.labels, CAST([] AS VARCHAR[]))) AS l(label)
        WHERE list_contains(CAST($production_labels AS VARCHAR[]), lower(trim(l.label)))
    ) OR EXISTS (
        SELECT 1
        FROM unnest(coalesce(i.found_in, CAST([] AS VARCHAR[]))) AS f(value),
             unnest(CAST($production_words AS VARCHAR[])) AS w(words)
        WHERE contains(' ' || trim(regexp_replace(lower(f.value), '[^\pL\pN]+', ' ', 'g')) || ' ', w.words)
    ) AS found_in_production
FROM issues AS i
WHERE i.is_bug
  AND (
    list_contains(CAST($critical_priorities AS VARCHAR[]), lower(trim(coalesce(i.priority, ''))))
    OR list_contains(CAST($critical_priorities AS VARCHAR[]), lower(trim(coalesce(i.priority_id, ''))))
    OR EXISTS (
        SELECT 1 FROM unnest(coalesce(i.labels, CAST([] AS VARCHAR[]))) AS l(label)
        WHERE list_contains(CAST($critical_labels AS VARCHAR[]), lower(trim(l.label)))
    )
  )
