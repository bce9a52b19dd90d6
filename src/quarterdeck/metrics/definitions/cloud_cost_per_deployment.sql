-- name: cloud_cost_per_deployment
-- title: Cloud cost per deployment
-- description: A service's cloud spend of the period (cloud_cost by service: the bill rows a
--   service tag places on it, EffectiveCost, in the reporting currency) divided by its
--   successful production deployments finished in the period (each deployment id once, in
--   the organization's time zone). Empty when the service did not deploy. Only services
--   with cloud spend are listed; untagged spend is in no service's cost.
-- unit: reporting currency per deployment
-- grain: group, period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: down
-- value: cost_per_deployment
-- default_window_days: 365
-- parameters: since, until, grain, by, currency
-- groupings: service
-- uses: reporting_rates, money_months, service_teams, cloud_allocation
WITH costs AS (
    SELECT m.period_start, a.service_id, sum(a.cost) AS cost
    FROM cloud_allocation AS a
    JOIN money_months AS m ON m.month = a.month
    WHERE a.service_id IS NOT NULL
    GROUP BY ALL
),
deployed AS (
    SELECT deployment_id, any_value(service) AS service, max(finished_at) AS finished_at
    FROM deployments
    WHERE result = 'success' AND is_production AND finished_at >= $since AND finished_at < $until_end
    GROUP BY deployment_id
),
deploys AS (
    SELECT m.period_start, d.service, count(*) AS deployments
    FROM deployed AS d
    JOIN money_months AS m ON m.month = CAST(date_trunc('month', CAST(timezone($timezone, d.finished_at) AS DATE)) AS DATE)
    GROUP BY ALL
)
SELECT
    c.service_id AS "group",
    c.period_start,
    round(c.cost, 2) AS cost,
    coalesce(d.deployments, 0) AS deployments,
    round(c.cost / nullif(d.deployments, 0), 2) AS cost_per_deployment
FROM costs AS c
LEFT JOIN deploys AS d ON d.service = c.service_id AND d.period_start = c.period_start
ORDER BY "group", c.period_start
