-- fragment: wait_teams
-- For everyone who waited (a waiter of wait_intervals: a person, or an account linked to
-- nobody) and every day of the window (organization time zone): the group they count in for
-- --by: the organization, the team the person was on that day, or each unit that team was in
-- (--by unit, team_units: one row for each); '(unmatched)' for an account linked to no
-- person, '(no team)' when the person had no team that day. --unit keeps the days on which
-- the person's team was in the unit's subtree.
WITH days AS (
    SELECT CAST(d AS DATE) AS day
    FROM range(
        CAST(CAST(timezone($timezone, $since) AS DATE) AS TIMESTAMP),
        CAST(timezone($timezone, $until_end) AS TIMESTAMP),
        INTERVAL 1 DAY
    ) AS t(d)
),
waiters AS (
    SELECT DISTINCT waiter, person_id FROM wait_intervals
)
SELECT
    a.waiter,
    d.day,
    CASE
        WHEN $by = 'org' THEN 'organization'
        WHEN a.person_id IS NULL THEN '(unmatched)'
        WHEN $by = 'unit' THEN coalesce(u.unit_id, p.team_id, '(no team)')
        ELSE coalesce(p.team_id, '(no team)')
    END AS group_name
FROM waiters AS a
CROSS JOIN days AS d
LEFT JOIN person_periods AS p
  ON p.person_id = a.person_id AND p.valid_from <= d.day AND (p.valid_to IS NULL OR p.valid_to > d.day)
LEFT JOIN team_units AS u
  ON ($by = 'unit' OR $unit <> '') AND u.team_id = p.team_id AND u.valid_from <= d.day AND u.valid_to > d.day
WHERE $unit = '' OR u.team_id IS NOT NULL
