-- fragment: budget_groups
-- The budget lines of the months of the window in the reporting currency (each amount at
-- its month's rate: reporting_rates; a currency without a rate is an error, never summed
-- as it is), with the period they count in and their group for --by: the organization,
-- the line's team, each unit that team was in that month (month_units; a team not yet in
-- the organization's structure that month counts as itself), or the category. --unit
-- keeps the lines of the teams of that unit's subtree that month.
WITH lines AS (
    SELECT b.*, w.period_start
    FROM budget_lines AS b
    JOIN window_months AS w ON w.month = b.month
),
converted AS (
    SELECT
        l.month,
        l.period_start,
        l.team_id,
        l.category,
        CASE WHEN r.rate IS NULL
            THEN error('no rate from ' || l.currency || ' to ' || $currency || ' for ' || strftime(l.month, '%Y-%m')
                       || ': import one with quarterdeck ingest rates FILE')
            ELSE CAST(l.planned * r.rate AS DOUBLE) END AS planned,
        CASE WHEN r.rate IS NULL THEN NULL ELSE CAST(l.actual * r.rate AS DOUBLE) END AS actual
    FROM lines AS l
    ASOF LEFT JOIN reporting_rates AS r ON r.currency = l.currency AND l.month >= r.month
)
SELECT
    c.*,
    CASE $by
        WHEN 'team' THEN c.team_id
        WHEN 'unit' THEN coalesce(u.unit_id, c.team_id)
        WHEN 'category' THEN c.category
        ELSE 'organization'
    END AS group_name
FROM converted AS c
LEFT JOIN month_units AS u ON u.team_id = c.team_id AND u.month = c.month
WHERE $unit = '' OR u.team_id IS NOT NULL
