-- name: change_failure_rate
-- title: Change failure rate
-- description: Successful production deployments finished in the period with at least one
--   incident attributed to them, divided by all of them; a deployment counts once however
--   many incidents follow it. An incident is attributed by its explicit deployment link, its
--   root-cause commit, or else to the latest successful production deployment of its
--   service within delivery.incident_window_days before it (default 7).
-- unit: share of deployments
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: change_failure_rate
-- default_window_days: 84
-- parameters: since, until, grain, by, unit
-- groupings: org, team, unit, service, repository
-- uses: delivery_periods, service_teams, team_lineage, unit_scope, team_units, deployment_groups
-- tile: delivery
-- tile_order: 30
WITH seen AS (
    SELECT DISTINCT group_name FROM deployment_groups
    UNION SELECT 'organization' WHERE $by = 'org'
),
counted AS (
    SELECT
        g.group_name,
        g.period_start,
        count(DISTINCT g.deployment_id) AS deployments,
        count(DISTINCT g.deployment_id) FILTER (
            WHERE EXISTS (SELECT 1 FROM incident_deployments AS l WHERE l.deployment_id = g.deployment_id)
        ) AS failed_deployments
    FROM deployment_groups AS g
    GROUP BY ALL
)
SELECT
    s.group_name AS "group",
    p.period_start,
    coalesce(c.deployments, 0) AS deployments,
    coalesce(c.failed_deployments, 0) AS failed_deployments,
    c.failed_deployments / c.deployments AS change_failure_rate
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN counted AS c ON c.group_name = s.group_name AND c.period_start = p.period_start
ORDER BY "group", p.period_start
