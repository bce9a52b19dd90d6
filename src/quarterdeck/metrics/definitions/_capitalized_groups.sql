-- fragment: capitalized_groups
-- The rows of capitalized_effort with the group each counts in for --by (org, team or
-- unit, as investment_groups) and the period ($period from $period_origin; --grain window:
-- one period, the window).
WITH dated AS (
    SELECT e.*, greatest(e.month, CAST(timezone($timezone, $since) AS DATE)) AS day
    FROM capitalized_effort AS e
),
grouped AS (
    SELECT d.*, CASE $by WHEN 'team' THEN coalesce(d.team_id, '(no team)') ELSE 'organization' END AS group_name
    FROM dated AS d
    WHERE $by <> 'unit'
      AND ($unit = '' OR EXISTS (
          SELECT 1 FROM team_units AS u WHERE u.team_id = d.team_id AND u.valid_from <= d.day AND u.valid_to > d.day
      ))
    UNION ALL
    SELECT d.*, u.unit_id AS group_name
    FROM dated AS d
    JOIN team_units AS u ON u.team_id = d.team_id AND u.valid_from <= d.day AND u.valid_to > d.day
    WHERE $by = 'unit'
    UNION ALL
    SELECT d.*, '(no team)' AS group_name
    FROM dated AS d
    WHERE $by = 'unit' AND d.team_id IS NULL AND $unit = ''
)
SELECT
    g.*,
    CASE WHEN $grain = 'window' THEN CAST($period_origin AS DATE)
         ELSE CAST(time_bucket(CAST($period AS INTERVAL), g.month, CAST($period_origin AS DATE)) AS DATE)
    END AS period_start
FROM grouped AS g
