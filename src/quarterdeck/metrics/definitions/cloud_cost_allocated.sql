-- name: cloud_cost_allocated
-- title: Cloud cost, untagged spread
-- description: Cloud spend per team (or unit) and period with the untagged spend spread over
--   the teams by the rule of the allocation rules file (untagged: headcount, each team's
--   share of the month's FTE, people_months; usage, each team's share of the month's
--   allocated spend), in the reporting currency (EffectiveCost). direct_cost: what the rules
--   placed on the team; spread_cost: its part of the untagged spend; cost = both. With no
--   spread rule (untagged: untagged, the default) or nothing to spread by in a month, that
--   month's untagged spend stays the group 'untagged'. The spread is done per month.
-- unit: reporting currency
-- grain: group, period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: down
-- value: cost
-- default_window_days: 365
-- parameters: since, until, grain, by, unit, currency
-- groupings: team, unit, org
-- uses: reporting_rates, money_months, people_months, service_teams, team_lineage, unit_scope, team_units,
--   cloud_allocation
WITH spread_rule AS (
    SELECT coalesce(max(match), 'untagged') AS rule FROM cloud_allocation_rules WHERE kind = 'untagged'
),
monthly AS (
    SELECT month, team_id, sum(cost) AS cost FROM cloud_allocation GROUP BY ALL
),
weights AS (
    SELECT month, team_id, sum(fte) AS weight
    FROM people_months
    WHERE (SELECT rule FROM spread_rule) = 'headcount'
    GROUP BY ALL
    UNION ALL
    SELECT month, team_id, cost
    FROM monthly
    WHERE team_id IS NOT NULL AND (SELECT rule FROM spread_rule) = 'usage'
),
shares AS (
    SELECT month, team_id, weight / sum(weight) OVER (PARTITION BY month) AS share
    FROM weights
    WHERE weight > 0
),
parts AS (
    SELECT month, team_id, cost AS direct, 0.0 AS spread FROM monthly WHERE team_id IS NOT NULL
    UNION ALL
    SELECT u.month, s.team_id, 0.0, u.cost * s.share
    FROM monthly AS u
    JOIN shares AS s ON s.month = u.month
    WHERE u.team_id IS NULL
    UNION ALL
    SELECT u.month, NULL, u.cost, 0.0
    FROM monthly AS u
    WHERE u.team_id IS NULL AND NOT EXISTS (SELECT 1 FROM shares AS s WHERE s.month = u.month)
),
grouped AS (
    SELECT
        m.period_start,
        CASE $by
            WHEN 'org' THEN 'organization'
            WHEN 'unit' THEN coalesce(u.unit_id, 'untagged')
            ELSE coalesce(p.team_id, 'untagged')
        END AS group_name,
        p.direct,
        p.spread
    FROM parts AS p
    JOIN money_months AS m ON m.month = p.month
    LEFT JOIN team_units AS u
      ON ($by = 'unit' OR $unit <> '') AND u.team_id = p.team_id AND u.valid_from <= p.month AND u.valid_to > p.month
    WHERE $unit = '' OR u.team_id IS NOT NULL
)
SELECT
    group_name AS "group",
    period_start,
    round(sum(direct) + sum(spread), 2) AS cost,
    round(sum(direct), 2) AS direct_cost,
    round(sum(spread), 2) AS spread_cost,
    (SELECT rule FROM spread_rule) AS spread_rule
FROM grouped
GROUP BY ALL
ORDER BY "group", period_start
