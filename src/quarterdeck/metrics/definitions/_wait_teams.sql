-- fragment: wait_teams
-- For every account that waited and every day of the window (organization time zone): the
-- group it counts in for --by: the organization, the team the account's person was on that
-- day, or each unit that team was in (--by unit, team_units: one row for each); '(unmatched)'
-- when the account is linked to no person, '(no team)' when the person had no team that
-- day. --unit keeps the days on which the person's team was in the unit's subtree.
WITH days AS (
    SELECT CAST(d AS DATE) AS day
    FROM range(
        CAST(CAST(timezone($timezone, $since) AS DATE) AS TIMESTAMP),
        CAST(timezone($timezone, $until_end) AS TIMESTAMP),
        INTERVAL 1 DAY
    ) AS t(d)
),
accounts AS (
    SELECT DISTINCT author_identity_id FROM wait_intervals
)
SELECT
    a.author_identity_id,
    d.day,
    CASE
        WHEN $by = 'org' THEN 'organization'
        WHEN l.person_id IS NULL THEN '(unmatched)'
        WHEN $by = 'unit' THEN coalesce(u.unit_id, p.team_id, '(no team)')
        ELSE coalesce(p.team_id, '(no team)')
    END AS group_name
FROM accounts AS a
CROSS JOIN days AS d
LEFT JOIN identity_links AS l ON l.identity_id = a.author_identity_id
LEFT JOIN person_periods AS p
  ON p.person_id = l.person_id AND p.valid_from <= d.day AND (p.valid_to IS NULL OR p.valid_to > d.day)
LEFT JOIN team_units AS u
  ON ($by = 'unit' OR $unit <> '') AND u.team_id = p.team_id AND u.valid_from <= d.day AND u.valid_to > d.day
WHERE $unit = '' OR u.team_id IS NOT NULL
