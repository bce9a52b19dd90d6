-- fragment: people_groups
-- The rows of people_months (a person's days on a team in a month, their FTE and loaded
-- cost in the reporting currency) with the period they count in and their group for --by:
-- the organization, their team ('(no team)'), each unit their team was in that month
-- (month_units), their level or location. --unit keeps the rows of the teams of that
-- unit's subtree that month. is_engineer: a role (the title when the export gives no
-- role) that is an engineer ('Engineer', 'Software Engineer', not 'Engineering Manager';
-- decision 0052).
SELECT
    m.*,
    w.period_start,
    regexp_matches(lower(coalesce(m.role, '')), '\bengineer$') AS is_engineer,
    CASE $by
        WHEN 'team' THEN coalesce(m.team_id, '(no team)')
        WHEN 'unit' THEN coalesce(u.unit_id, m.team_id, '(no team)')
        WHEN 'level' THEN coalesce(m.level, '(no level)')
        WHEN 'location' THEN coalesce(m.location, '(no location)')
        ELSE 'organization'
    END AS group_name
FROM people_months AS m
JOIN window_months AS w ON w.month = m.month
LEFT JOIN month_units AS u ON u.team_id = m.team_id AND u.month = m.month
WHERE $unit = '' OR u.team_id IS NOT NULL
