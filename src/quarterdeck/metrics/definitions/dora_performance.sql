-- name: dora_performance
-- title: DORA performance bands
-- description: For each group, over the whole window: the four keys and their band (elite,
--   high, medium, low) from the DORA report chosen with --report (2023, the default, or
--   2021). Deployment frequency: median deploy days per week (and per month) over the weeks
--   (months) overlapping the window; 2021's medium band uses deploy days per six months
--   (deploy days x 182 / days in the window). Lead time: median hours of lead_time_for_changes.
--   Change failure rate as change_failure_rate. Recovery: median failed deployment recovery
--   time (2023) or time to restore (2021), in hours. No data: no band.
-- unit: band
-- grain: group, key
-- good_direction: neither
-- value: band
-- default_window_days: 91
-- parameters: since, until, by, unit, include_bots, report
-- groupings: org, team, unit, service
-- uses: service_teams, team_lineage, unit_scope, team_units, deployment_groups, change_groups, incident_groups
WITH window_days AS (
    SELECT date_diff('day', CAST(timezone($timezone, $since) AS DATE), CAST(timezone($timezone, $until_end) AS DATE)) AS days
),
seen AS (
    SELECT DISTINCT group_name FROM deployment_groups
    UNION SELECT DISTINCT group_name FROM incident_groups
    UNION SELECT 'organization' WHERE $by = 'org'
),
weeks AS (
    SELECT CAST(w AS DATE) AS week_start
    FROM range(date_trunc('week', timezone($timezone, $since)), timezone($timezone, $until_end), INTERVAL 7 DAY) AS t(w)
),
months AS (
    SELECT CAST(m AS DATE) AS month_start
    FROM range(date_trunc('month', timezone($timezone, $since)), timezone($timezone, $until_end), INTERVAL 1 MONTH) AS t(m)
),
weekly AS (
    SELECT s.group_name, count(DISTINCT g.day) AS deploy_days
    FROM seen AS s CROSS JOIN weeks AS w
    LEFT JOIN deployment_groups AS g ON g.group_name = s.group_name AND date_trunc('week', g.day) = w.week_start
    GROUP BY s.group_name, w.week_start
),
monthly AS (
    SELECT s.group_name, count(DISTINCT g.day) AS deploy_days
    FROM seen AS s CROSS JOIN months AS m
    LEFT JOIN deployment_groups AS g ON g.group_name = s.group_name AND date_trunc('month', g.day) = m.month_start
    GROUP BY s.group_name, m.month_start
),
frequency AS (
    SELECT
        w.group_name,
        (SELECT count(DISTINCT g.deployment_id) FROM deployment_groups AS g WHERE g.group_name = w.group_name)
            AS deployments,
        quantile_cont(w.deploy_days, 0.5) AS weekly_median,
        (SELECT quantile_cont(m.deploy_days, 0.5) FROM monthly AS m WHERE m.group_name = w.group_name) AS monthly_median,
        (SELECT count(DISTINCT g.day) FROM deployment_groups AS g WHERE g.group_name = w.group_name) * 182.0
            / (SELECT days FROM window_days) AS six_monthly
    FROM weekly AS w
    GROUP BY w.group_name
),
keys AS (
    SELECT
        s.group_name,
        CASE WHEN f.deployments > 0 THEN f.weekly_median END AS weekly_median,
        f.monthly_median,
        f.six_monthly,
        (SELECT quantile_cont(c.lead_time_hours, 0.5) FROM change_groups AS c WHERE c.group_name = s.group_name)
            AS lead_time_hours,
        (SELECT count(DISTINCT g.deployment_id) FILTER (
                    WHERE EXISTS (SELECT 1 FROM incident_deployments AS l WHERE l.deployment_id = g.deployment_id))
                / nullif(count(DISTINCT g.deployment_id), 0)
         FROM deployment_groups AS g WHERE g.group_name = s.group_name) AS change_failure_rate,
        (SELECT quantile_cont((epoch(i.resolved_at) - epoch(i.deployment_finished_at)) / 3600, 0.5) FROM incident_groups AS i
         WHERE i.group_name = s.group_name AND i.attributed_deployment_id IS NOT NULL) AS recovery_2023_hours,
        (SELECT quantile_cont((epoch(i.resolved_at) - epoch(i.created_at)) / 3600, 0.5) FROM incident_groups AS i
         WHERE i.group_name = s.group_name) AS recovery_2021_hours
    FROM seen AS s
    LEFT JOIN frequency AS f ON f.group_name = s.group_name
)
SELECT "group", key, value, unit, band, $report AS report
FROM (
    SELECT
        group_name AS "group", 1 AS ord, 'deployment_frequency' AS key, weekly_median AS value,
        'median deploy days per week' AS unit,
        CASE WHEN weekly_median IS NULL THEN '(no data)'
             WHEN weekly_median >= 5 THEN 'elite'
             WHEN $report = '2023' AND weekly_median >= 1 THEN 'high'
             WHEN $report = '2023' AND monthly_median >= 1 THEN 'medium'
             WHEN $report = '2021' AND monthly_median >= 1 THEN 'high'
             WHEN $report = '2021' AND six_monthly >= 1 THEN 'medium'
             ELSE 'low' END AS band
    FROM keys
    UNION ALL
    SELECT group_name, 2, 'lead_time_for_changes', lead_time_hours, 'median hours',
        CASE WHEN lead_time_hours IS NULL THEN '(no data)'
             WHEN lead_time_hours < CASE $report WHEN '2023' THEN 24 ELSE 1 END THEN 'elite'
             WHEN lead_time_hours < 168 THEN 'high'
             WHEN lead_time_hours < CASE $report WHEN '2023' THEN 720 ELSE 4320 END THEN 'medium'
             ELSE 'low' END
    FROM keys
    UNION ALL
    SELECT group_name, 3, 'change_failure_rate', change_failure_rate, 'share of deployments',
        CASE WHEN change_failure_rate IS NULL THEN '(no data)'
             WHEN change_failure_rate <= CASE $report WHEN '2023' THEN 0.05 ELSE 0.15 END THEN 'elite'
             WHEN change_failure_rate <= CASE $report WHEN '2023' THEN 0.10 ELSE 0.20 END THEN 'high'
             WHEN change_failure_rate <= CASE $report WHEN '2023' THEN 0.15 ELSE 0.30 END THEN 'medium'
             ELSE 'low' END
    FROM keys
    UNION ALL
    SELECT group_name, 4,
        CASE $report WHEN '2023' THEN 'failed_deployment_recovery_time' ELSE 'time_to_restore' END,
        CASE $report WHEN '2023' THEN recovery_2023_hours ELSE recovery_2021_hours END, 'median hours',
        CASE WHEN (CASE $report WHEN '2023' THEN recovery_2023_hours ELSE recovery_2021_hours END) IS NULL THEN '(no data)'
             WHEN (CASE $report WHEN '2023' THEN recovery_2023_hours ELSE recovery_2021_hours END) < 1 THEN 'elite'
             WHEN (CASE $report WHEN '2023' THEN recovery_2023_hours ELSE recovery_2021_hours END) < 24 THEN 'high'
             WHEN (CASE $report WHEN '2023' THEN recovery_2023_hours ELSE recovery_2021_hours END) < 168 THEN 'medium'
             ELSE 'low' END
    FROM keys
)
ORDER BY "group", ord
