-- fragment: team_costs
-- What each group (--by org, team or unit) costs per period in the reporting currency:
-- its people (people_groups: the people behind the row, their loaded cost, the engineers
-- and their FTE), its tools (tool_months) and its cloud: the cloud spend the allocation
-- rules place on its teams (cloud_allocation: tags, service owners, accounts), in the
-- months that start in the window. Untagged spend is no team's: it counts in the
-- organization's row only (cloud_cost_allocated spreads it over the teams).
WITH people AS (
    SELECT
        group_name,
        period_start,
        count(DISTINCT person_id) AS people,
        count(DISTINCT person_id) FILTER (WHERE is_engineer) AS engineers,
        sum(fte) FILTER (WHERE is_engineer) AS engineer_fte,
        sum(cost) AS people_cost,
        count(DISTINCT person_id) FILTER (WHERE cost IS NULL) AS people_without_cost
    FROM people_groups
    GROUP BY ALL
),
tools AS (
    SELECT group_name, period_start, sum(monthly_cost) AS tool_cost
    FROM tool_months
    GROUP BY ALL
),
cloud AS (
    SELECT
        CASE $by WHEN 'team' THEN a.team_id WHEN 'unit' THEN coalesce(u.unit_id, a.team_id) ELSE 'organization' END
            AS group_name,
        w.period_start,
        sum(a.cost) AS cloud_cost
    FROM cloud_allocation AS a
    JOIN window_months AS w ON w.month = a.month
    LEFT JOIN month_units AS u ON u.team_id = a.team_id AND u.month = a.month
    WHERE (a.team_id IS NOT NULL AND ($unit = '' OR u.team_id IS NOT NULL)) OR ($by = 'org' AND $unit = '')
    GROUP BY ALL
)
SELECT
    coalesce(p.group_name, t.group_name) AS group_name,
    coalesce(p.period_start, t.period_start) AS period_start,
    coalesce(p.people, 0) AS people,
    coalesce(p.engineers, 0) AS engineers,
    coalesce(p.engineer_fte, 0) AS engineer_fte,
    p.people_cost,
    coalesce(p.people_without_cost, 0) AS people_without_cost,
    coalesce(t.tool_cost, 0) AS tool_cost,
    c.cloud_cost,
    coalesce(p.people_cost, 0) + coalesce(t.tool_cost, 0) + coalesce(c.cloud_cost, 0) AS total_cost
FROM people AS p
FULL JOIN tools AS t ON t.group_name = p.group_name AND t.period_start = p.period_start
LEFT JOIN cloud AS c
  ON c.group_name = coalesce(p.group_name, t.group_name) AND c.period_start = coalesce(p.period_start, t.period_start)
