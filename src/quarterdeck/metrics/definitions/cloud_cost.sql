-- name: cloud_cost
-- title: Cloud cost
-- description: Cloud spend per group and period from the FOCUS bills (quarterdeck ingest
--   cloud-costs), in the reporting currency: cost is EffectiveCost (amortized), billed_cost
--   BilledCost. Each bill row goes to a team and a service by the allocation rules (quarterdeck
--   ingest cloud-allocation: team and service tags, the service's owner, the sub-account's
--   team), applied when the metric runs; spend no rule places is the group 'untagged'
--   (untagged_cost: its part of a group's cost, by provider or account). A row counts in the
--   UTC month its charge period starts in. cloud_cost_allocated spreads the untagged spend.
-- unit: reporting currency
-- grain: group, period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: down
-- value: cost
-- default_window_days: 365
-- parameters: since, until, grain, by, unit, currency
-- groupings: team, unit, service, provider, account, org
-- uses: reporting_rates, money_months, service_teams, team_lineage, unit_scope, team_units, cloud_allocation,
--   cloud_groups
-- tile: money
-- tile_order: 90
SELECT
    group_name AS "group",
    period_start,
    round(sum(cost), 2) AS cost,
    round(sum(billed), 2) AS billed_cost,
    round(coalesce(sum(cost) FILTER (WHERE team_id IS NULL), 0), 2) AS untagged_cost
FROM cloud_groups
GROUP BY ALL
ORDER BY "group", period_start
