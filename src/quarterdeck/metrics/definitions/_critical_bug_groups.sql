-- fragment: critical_bug_groups
-- critical_bug_periods with the group each row counts in for --by: the organization, the
-- team the assignee's person was on that row's day (as the wait ledger attributes issues),
-- or each unit that team was in (--by unit, team_units); '(unassigned)' for a bug assigned
-- to nobody, '(unmatched)' when its account is linked to no person, '(no team)' when the
-- person had no team that day. --unit keeps the rows whose team was in the unit's subtree.
SELECT
    b.*,
    CASE
        WHEN $by = 'org' THEN 'organization'
        WHEN b.assignee_identity_id IS NULL THEN '(unassigned)'
        WHEN l.person_id IS NULL THEN '(unmatched)'
        WHEN $by = 'unit' THEN coalesce(u.unit_id, p.team_id, '(no team)')
        ELSE coalesce(p.team_id, '(no team)')
    END AS group_name
FROM critical_bug_periods AS b
LEFT JOIN identity_links AS l ON l.identity_id = b.assignee_identity_id
LEFT JOIN person_periods AS p
  ON p.person_id = l.person_id AND p.valid_from <= b.day AND (p.valid_to IS NULL OR p.valid_to > b.day)
LEFT JOIN team_units AS u
  ON ($by = 'unit' OR $unit <> '') AND u.team_id = p.team_id AND u.valid_from <= b.day AND u.valid_to > b.day
WHERE $unit = '' OR u.team_id IS NOT NULL
