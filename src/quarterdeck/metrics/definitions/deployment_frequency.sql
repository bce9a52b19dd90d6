-- name: deployment_frequency
-- title: Deployment frequency
-- description: Successful production deployments per group and period (deployments count
--   once per id, on the day they finished, organization time zone): deployments, distinct
--   deploy days, the period's days inside the window, and both per week (count x 7 / days).
--   DORA's statistic is deploy days per week.
-- unit: deploy days per week
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: up
-- value: deploy_days_per_week
-- default_window_days: 84
-- parameters: since, until, grain, by, unit
-- groupings: org, team, unit, service, repository
-- uses: delivery_periods, service_teams, team_lineage, unit_scope, team_units, deployment_groups
-- tile: delivery
-- tile_order: 10
WITH seen AS (
    SELECT DISTINCT group_name FROM deployment_groups
    UNION SELECT 'organization' WHERE $by = 'org'
),
counted AS (
    SELECT group_name, period_start, count(DISTINCT deployment_id) AS deployments, count(DISTINCT day) AS deploy_days
    FROM deployment_groups
    GROUP BY ALL
)
SELECT
    s.group_name AS "group",
    p.period_start,
    coalesce(c.deployments, 0) AS deployments,
    coalesce(c.deploy_days, 0) AS deploy_days,
    p.days,
    coalesce(c.deployments, 0) * 7.0 / p.days AS deploys_per_week,
    coalesce(c.deploy_days, 0) * 7.0 / p.days AS deploy_days_per_week
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN counted AS c ON c.group_name = s.group_name AND c.period_start = p.period_start
ORDER BY "group", p.period_start
