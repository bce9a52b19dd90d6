-- name: tool_seat_utilization
-- title: Tool seat utilization
-- description: For each tool (vendor and product) and group (its owner team, each unit
--   that team is in at the end of the data, or the organization), the seats bought and
--   used as the tools export says (tool_spend, the contracts stored now), utilization =
--   seats used / seats bought, and the seats used beyond those bought (over_use: a
--   true-up to come; status 'over'). status 'unused seats' below 80 % utilization, 'ok'
--   otherwise; empty when the export gives no seat counts.
-- unit: share of seats bought
-- grain: group, tool (the contracts stored now)
-- good_direction: neither
-- value: utilization
-- default_window_days: 1
-- parameters: until, by, unit
-- groupings: team, unit, org
-- uses: window_months, team_lineage, unit_scope, month_units
WITH seats AS (
    SELECT
        CASE $by WHEN 'team' THEN t.team_id WHEN 'unit' THEN coalesce(u.unit_id, t.team_id) ELSE 'organization' END
            AS group_name,
        t.vendor,
        t.product,
        sum(t.seats_bought) AS seats_bought,
        sum(t.seats_used) AS seats_used
    FROM tool_spend AS t
    LEFT JOIN month_units AS u ON u.team_id = t.team_id
    WHERE $unit = '' OR u.team_id IS NOT NULL
    GROUP BY ALL
)
SELECT
    group_name AS "group",
    vendor,
    product,
    seats_bought,
    seats_used,
    round(seats_used / nullif(seats_bought, 0), 3) AS utilization,
    CASE WHEN seats_used > seats_bought THEN seats_used - seats_bought WHEN seats_used <= seats_bought THEN 0 END AS over_use,
    CASE
        WHEN seats_bought IS NULL OR seats_used IS NULL THEN NULL
        WHEN seats_used > seats_bought THEN 'over'
        WHEN seats_used < 0.8 * seats_bought THEN 'unused seats'
        ELSE 'ok'
    END AS status
FROM seats
ORDER BY "group", vendor, product
