-- name: issue_blocked_time
-- title: Issue blocked time
-- description: Hours issues spent in a waiting status (the setting waits.blocked_statuses,
--   matched by status name or id without case; default: blocked, on hold, waiting ...), per
--   period: each stretch from the change into such a status to the next change (a stretch
--   still going ends now) is cut at period boundaries, and each piece counts in its period
--   for the team of the issue's assignee on the piece's last day. people: the assignees behind
--   a row; a row about fewer than privacy.min_group_size shows its hours as '<5'.
-- unit: hours
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: blocked_hours
-- group_size: people
-- private: blocked_hours
-- default_window_days: 84
-- parameters: since, until, grain, by, unit
-- groupings: team, unit, org
-- uses: delivery_periods, pr_timeline, wait_intervals, team_lineage, unit_scope, team_units, wait_teams
-- tile: waiting
-- tile_order: 40
WITH periods AS (
    SELECT
        period_start,
        greatest(timezone($timezone, CAST(period_start AS TIMESTAMP)), $since) AS opens_at,
        least(
            timezone($timezone, CAST(period_start AS TIMESTAMP) + CAST($period AS INTERVAL)),
            $until_end
        ) AS closes_at
    FROM delivery_periods
),
pieces AS (
    SELECT
        w.item,
        w.waiter,
        p.period_start,
        greatest(w.started_at, p.opens_at) AS started_at,
        least(w.ended_at, p.closes_at) AS ended_at
    FROM wait_intervals AS w
    JOIN periods AS p ON w.started_at < p.closes_at AND w.ended_at > p.opens_at
    WHERE w.kind = 'blocked'
),
grouped AS (
    SELECT x.*, t.group_name, (epoch(x.ended_at) - epoch(x.started_at)) / 3600 AS hours
    FROM pieces AS x
    JOIN wait_teams AS t
      ON t.waiter = x.waiter
     AND t.day = CAST(timezone($timezone, x.ended_at - INTERVAL 1 MICROSECOND) AS DATE)
),
seen AS (
    SELECT DISTINCT group_name FROM grouped
    UNION SELECT 'organization' WHERE $by = 'org'
),
stats AS (
    SELECT
        group_name,
        period_start,
        count(DISTINCT item) AS issues,
        count(DISTINCT waiter) AS people,
        sum(hours) AS blocked_hours
    FROM grouped
    GROUP BY ALL
)
SELECT
    s.group_name AS "group",
    p.period_start,
    coalesce(c.issues, 0) AS issues_blocked,
    coalesce(c.people, 0) AS people,
    coalesce(c.blocked_hours, 0) AS blocked_hours
FROM seen AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN stats AS c ON c.group_name = s.group_name AND c.period_start = p.period_start
ORDER BY "group", p.period_start
