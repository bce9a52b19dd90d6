-- name: engineer_hours_waiting
-- title: Engineer-hours waiting
-- description: An estimate of the working hours authors spent waiting, per period: every
--   wait of wait_intervals (review pickup, review, CI, merge to deploy, blocked issues) is
--   cut to working hours (the settings waits.working_hours and waits.working_days, in the
--   organization's time zone), and an author's overlapping waits count once. An author is
--   a person: the waits of all their accounts (GitHub, Jira...) merge; an account linked to
--   nobody is an author of its own. hours_waiting sums the hours over the group's authors
--   (each counted for their team that day); hours_per_author divides by the authors who
--   waited (authors_waiting). The hours of each kind count
--   that kind's own overlaps once, so the kinds may add up to more than the total. A
--   period in which nobody of a group waited has no row.
-- unit: hours
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: hours_waiting
-- default_window_days: 84
-- parameters: since, until, grain, by, unit
-- groupings: team, unit, org
-- group_size: authors_waiting
-- private: hours_waiting, hours_per_author, pickup_hours, review_hours, ci_hours, deploy_hours, blocked_hours
-- uses: pr_timeline, wait_intervals, team_lineage, unit_scope, team_units, wait_teams
-- tile: waiting
-- tile_order: 30
WITH working_hours AS (
    SELECT
        CAST(d AS DATE) AS day,
        timezone($timezone, d + to_minutes($work_start_minute)) AS opens_at,
        timezone($timezone, d + to_minutes($work_end_minute)) AS closes_at
    FROM range(
        CAST(CAST(timezone($timezone, $since) AS DATE) AS TIMESTAMP),
        CAST(timezone($timezone, $until_end) AS TIMESTAMP),
        INTERVAL 1 DAY
    ) AS t(d)
    WHERE list_contains($working_days, isodow(d))
),
pieces AS (
    SELECT w.kind, w.waiter, h.day,
        greatest(w.started_at, h.opens_at) AS started_at, least(w.ended_at, h.closes_at) AS ended_at
    FROM wait_intervals AS w
    JOIN working_hours AS h ON w.started_at < h.closes_at AND w.ended_at > h.opens_at
),
scoped AS (  -- each piece once for its kind, once for the total ('all')
    SELECT kind AS scope, waiter, day, started_at, ended_at FROM pieces
    UNION ALL
    SELECT 'all', waiter, day, started_at, ended_at FROM pieces
),
marked AS (  -- a piece that starts after every earlier one ended starts a new stretch
    SELECT *,
        CASE WHEN started_at <= max(ended_at) OVER (
            PARTITION BY scope, waiter, day ORDER BY started_at, ended_at
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) THEN 0 ELSE 1 END AS starts_stretch
    FROM scoped
),
stretches AS (
    SELECT scope, waiter, day, min(started_at) AS started_at, max(ended_at) AS ended_at
    FROM (
        SELECT *, sum(starts_stretch) OVER (
            PARTITION BY scope, waiter, day ORDER BY started_at, ended_at ROWS UNBOUNDED PRECEDING
        ) AS stretch
        FROM marked
    )
    GROUP BY scope, waiter, day, stretch
),
grouped AS (
    SELECT s.scope, s.waiter, t.group_name, time_bucket($period, CAST(s.day AS DATE), $period_origin) AS period_start,
        (epoch(s.ended_at) - epoch(s.started_at)) / 3600 AS hours
    FROM stretches AS s
    JOIN wait_teams AS t ON t.waiter = s.waiter AND t.day = s.day
),
stats AS (
    SELECT
        group_name,
        period_start,
        count(DISTINCT waiter) AS authors_waiting,
        sum(hours) FILTER (WHERE scope = 'all') AS hours_waiting,
        sum(hours) FILTER (WHERE scope = 'pickup') AS pickup_hours,
        sum(hours) FILTER (WHERE scope = 'review') AS review_hours,
        sum(hours) FILTER (WHERE scope = 'ci') AS ci_hours,
        sum(hours) FILTER (WHERE scope = 'deploy') AS deploy_hours,
        sum(hours) FILTER (WHERE scope = 'blocked') AS blocked_hours
    FROM grouped
    GROUP BY ALL
)
SELECT
    c.group_name AS "group",
    c.period_start,
    c.authors_waiting,
    coalesce(c.hours_waiting, 0) AS hours_waiting,
    c.hours_waiting / nullif(c.authors_waiting, 0) AS hours_per_author,
    coalesce(c.pickup_hours, 0) AS pickup_hours,
    coalesce(c.review_hours, 0) AS review_hours,
    coalesce(c.ci_hours, 0) AS ci_hours,
    coalesce(c.deploy_hours, 0) AS deploy_hours,
    coalesce(c.blocked_hours, 0) AS blocked_hours
FROM stats AS c
ORDER BY "group", c.period_start
