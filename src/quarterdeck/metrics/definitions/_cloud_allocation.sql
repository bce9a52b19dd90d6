-- fragment: cloud_allocation
-- Cloud spend of the window's months (money_months) allocated to services and teams by the
-- rules of quarterdeck ingest cloud-allocation (cloud_allocation_rules; decision 0048),
-- applied now, so new rules need no re-import: one row per month, provider, sub-account,
-- service, team and currency, the amounts converted to the reporting currency.
-- service_id: the first of the service tag keys (by position; default: service) whose value
--   is a service of the org model (its id or name, any case); NULL when none is.
-- team_id: the first of the team tag keys (default: team, cost-center) whose value is a team
--   (its id, name or alias, any case: team_aliases); else the team owning the tagged service
--   that month (service_teams, on the month's last day); else the team of the sub-account
--   (an accounts rule); else NULL: untagged spend. allocated_by says which rule placed it.
-- cost: EffectiveCost (amortized: what the month's use cost, commitments spread over their
--   term, as FinOps allocates); billed: BilledCost (what the invoice says).
-- Needs reporting_rates and money_months before it.
WITH rules AS (
    SELECT kind, position, match, team_id FROM cloud_allocation_rules
),
tag_keys AS (
    SELECT kind, match AS tag_key, position FROM rules WHERE kind IN ('team_tag', 'service_tag')
    UNION ALL
    SELECT d.kind, d.tag_key, d.position
    FROM (VALUES ('team_tag', 'team', 0), ('team_tag', 'cost-center', 1), ('service_tag', 'service', 0))
        AS d(kind, tag_key, position)
    WHERE NOT EXISTS (SELECT 1 FROM rules AS r WHERE r.kind = d.kind)
),
spend AS (
    SELECT c.month, c.provider, c.sub_account, c.currency, c.tags,
           sum(c.effective_cost) AS cost, sum(c.billed_cost) AS billed
    FROM cloud_costs AS c
    WHERE c.month IN (SELECT month FROM money_months)
    GROUP BY ALL
),
tag_values AS (
    SELECT s.tags, k.kind, k.position, lower(json_extract_string(s.tags, '$."' || k.tag_key || '"')) AS value
    FROM (SELECT DISTINCT tags FROM spend WHERE tags IS NOT NULL) AS s
    CROSS JOIN tag_keys AS k
),
service_names AS (
    SELECT alias, any_value(service_id) AS service_id
    FROM (SELECT lower(service_id) AS alias, service_id FROM services
          UNION SELECT lower(name), service_id FROM services)
    GROUP BY alias
    HAVING count(DISTINCT service_id) = 1
),
tag_teams AS (
    SELECT v.tags, arg_min(a.team_id, v.position) AS team_id
    FROM tag_values AS v
    JOIN team_aliases AS a ON a.alias = v.value
    WHERE v.kind = 'team_tag'
    GROUP BY v.tags
),
tag_services AS (
    SELECT v.tags, arg_min(n.service_id, v.position) AS service_id
    FROM tag_values AS v
    JOIN service_names AS n ON n.alias = v.value
    WHERE v.kind = 'service_tag'
    GROUP BY v.tags
),
placed AS (
    SELECT
        sp.*,
        ts.service_id,
        coalesce(tt.team_id, st.team_id, ar.team_id) AS team_id,
        CASE
            WHEN tt.team_id IS NOT NULL THEN 'team tag'
            WHEN st.team_id IS NOT NULL THEN 'service owner'
            WHEN ar.team_id IS NOT NULL THEN 'account'
            ELSE 'untagged'
        END AS allocated_by
    FROM spend AS sp
    LEFT JOIN tag_teams AS tt ON tt.tags = sp.tags
    LEFT JOIN tag_services AS ts ON ts.tags = sp.tags
    LEFT JOIN service_teams AS st
      ON st.service_id = ts.service_id
     AND (st.valid_from IS NULL OR st.valid_from <= last_day(sp.month))
     AND (st.valid_to IS NULL OR st.valid_to > last_day(sp.month))
    LEFT JOIN rules AS ar ON ar.kind = 'account' AND ar.match = lower(sp.sub_account)
)
SELECT
    p.month,
    p.provider,
    p.sub_account,
    p.service_id,
    p.team_id,
    p.allocated_by,
    p.currency,
    CASE WHEN r.rate IS NULL THEN error('no rate from ' || p.currency || ' to ' || $currency || ' for '
        || strftime(p.month, '%Y-%m') || ': import one with quarterdeck ingest rates FILE')
        ELSE CAST(p.cost AS DOUBLE) * r.rate END AS cost,
    CAST(p.billed AS DOUBLE) * r.rate AS billed
FROM placed AS p
ASOF LEFT JOIN reporting_rates AS r ON r.currency = p.currency AND p.month >= r.month
