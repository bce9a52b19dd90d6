-- name: open_critical_incidents
-- title: Open critical incidents
-- description: Incidents at or above the critical severity (delivery.critical_severity,
--   default rank 2: SEV1/SEV2, P1/P2, critical, high) open at the end of each period
--   (created before it ends, not resolved by then), whenever they were created: how many,
--   and their median and oldest age in days at that moment.
-- unit: incidents
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: open
-- default_window_days: 84
-- parameters: since, until, grain, by, unit
-- groupings: org, team, unit, service
-- uses: delivery_periods, service_teams, team_lineage, unit_scope, team_units
-- tile: reliability
-- tile_order: 30
-- tile_reduce: sum
WITH period_ends AS (
    SELECT
        period_start,
        least(
            timezone($timezone, CAST(period_start AS TIMESTAMP) + CAST($period AS INTERVAL)),
            $until_end
        ) AS period_end
    FROM delivery_periods
),
critical AS (
    SELECT i.*, e.period_start, e.period_end,
        CASE $by
            WHEN 'org' THEN 'organization'
            WHEN 'service' THEN i.service
            WHEN 'unit' THEN coalesce(u.unit_id, t.team_id, '(no team)')
            ELSE coalesce(t.team_id, '(no team)')
        END AS group_name
    FROM incidents AS i
    JOIN period_ends AS e ON i.created_at < e.period_end AND (i.resolved_at IS NULL OR i.resolved_at >= e.period_end)
    LEFT JOIN service_teams AS t
      ON t.service_id = i.service
     AND (t.valid_from IS NULL OR t.valid_from <= CAST(timezone($timezone, e.period_end) AS DATE) - 1)
     AND (t.valid_to IS NULL OR t.valid_to > CAST(timezone($timezone, e.period_end) AS DATE) - 1)
    LEFT JOIN team_units AS u
      ON ($by = 'unit' OR $unit <> '') AND u.team_id = t.team_id
     AND u.valid_from <= CAST(timezone($timezone, e.period_end) AS DATE) - 1
     AND u.valid_to > CAST(timezone($timezone, e.period_end) AS DATE) - 1
    WHERE i.severity_rank <= $critical_severity
      AND ($by = 'org' OR i.service IS NOT NULL)
      AND ($unit = '' OR u.team_id IS NOT NULL)
),
seen AS (
    SELECT DISTINCT group_name FROM critical
    UNION SELECT 'organization' WHERE $by = 'org'
),
stats AS (
    SELECT
        group_name,
        period_start,
        count(*) AS open,
        quantile_cont((epoch(period_end) - epoch(created_at)) / 86400, 0.5) AS median_age_days,
        max((epoch(period_end) - epoch(created_at)) / 86400) AS oldest_age_days
    FROM critical
    GROUP BY ALL
)
SELECT
    s.group_name AS "group",
    p.period_start,
    coalesce(c.open, 0) AS open,
    c.median_age_days,
    c.oldest_age_days
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN stats AS c ON c.group_name = s.group_name AND c.period_start = p.period_start
ORDER BY "group", p.period_start
