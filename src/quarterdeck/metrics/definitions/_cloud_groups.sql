-- fragment: cloud_groups
-- The allocated cloud spend (cloud_allocation) of each period (money_months) in its group
-- for --by: the organization, the team (untagged spend: 'untagged'), each unit the team was
-- in that month (team_units; untagged: 'untagged'), the service ('untagged' when no tag
-- names one), the provider, or the provider's sub-account ('Provider sub-account'). --unit
-- keeps the spend of the teams of the unit's subtree that month.
SELECT
    m.period_start,
    a.month,
    a.team_id,
    a.allocated_by,
    CASE $by
        WHEN 'org' THEN 'organization'
        WHEN 'provider' THEN a.provider
        WHEN 'account' THEN a.provider || ' ' || coalesce(nullif(a.sub_account, ''), '(no sub-account)')
        WHEN 'service' THEN coalesce(a.service_id, 'untagged')
        WHEN 'unit' THEN coalesce(u.unit_id, 'untagged')
        ELSE coalesce(a.team_id, 'untagged')
    END AS group_name,
    a.cost,
    a.billed
FROM cloud_allocation AS a
JOIN money_months AS m ON m.month = a.month
LEFT JOIN team_units AS u
  ON ($by = 'unit' OR $unit <> '') AND u.team_id = a.team_id AND u.valid_from <= a.month AND u.valid_to > a.month
WHERE $unit = '' OR u.team_id IS NOT NULL
