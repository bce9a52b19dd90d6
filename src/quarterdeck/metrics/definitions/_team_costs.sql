-- fragment: team_costs
-- What each group (--by org, team or unit) costs per period in the reporting currency:
-- its people (people_groups: the people behind the row, their loaded cost, the engineers
-- and their FTE), its tools (tool_months) and its cloud. Cloud: the allocated cloud bills
-- are not read yet, so cloud_cost is empty (NULL) and total_cost is people and tools; the
-- place to add them is the cloud CTE below (decision 0052).
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
cloud AS (  -- the hook: cloud spend allocated to teams, per group and period
    SELECT CAST(NULL AS VARCHAR) AS group_name, CAST(NULL AS DATE) AS period_start, CAST(NULL AS DOUBLE) AS cloud_cost
    WHERE false
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
