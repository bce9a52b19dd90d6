-- name: error_budget_remaining
-- title: Error budget remaining
-- description: Per SLO, at the end of --until: over the SLO's time window ending then,
--   availability (good / total of its service's availability data), error budget
--   (1 - target), budget consumed ((1 - availability) / error budget) and remaining
--   (1 - consumed; negative when overspent). bad_allowed is the budget in events (or
--   seconds for probe data, cut at the window's edges) over the window so far, bad the
--   events (seconds) spent. With --unit: only the SLOs of the services the teams of that
--   unit's subtree own.
-- unit: share of the error budget
-- grain: SLO
-- good_direction: up
-- value: error_budget_remaining
-- default_window_days: 1
-- parameters: until, unit
-- uses: team_lineage, owner_scope, scoped_slos, slo_windows
WITH first_start AS (
    SELECT min(slo_start) AS slo_start FROM slo_windows
),
-- Every SLO window starts at a local midnight, a multiple of 15 minutes in UTC: what starts
-- inside it is summed per quarter of an hour first, then per SLO (one pass over the rows).
quarter_hours AS (
    SELECT
        a.service,
        CAST(epoch(a.window_start) AS BIGINT) // 900 AS quarter_hour,
        sum(a.good * a.share) AS good,
        sum(a.total * a.share) AS total
    FROM (
        SELECT
            x.service,
            x.window_start,
            x.good,
            x.total,
            CASE WHEN x.kind = 'events' THEN 1.0
                 ELSE (epoch(least(x.window_end, $until_end)) - epoch(x.window_start)) / nullif((epoch(x.window_end) - epoch(x.window_start)), 0)
            END AS share
        FROM availability_windows AS x, first_start AS f
        WHERE x.window_start >= f.slo_start AND x.window_start < $until_end
    ) AS a
    GROUP BY ALL
),
-- Probe intervals that began before an SLO's window and reach into it count for the part inside.
straddling AS (
    SELECT
        w.slo_id,
        x.good * (epoch(least(x.window_end, w.slo_end)) - epoch(w.slo_start)) / (epoch(x.window_end) - epoch(x.window_start)) AS good,
        x.total * (epoch(least(x.window_end, w.slo_end)) - epoch(w.slo_start)) / (epoch(x.window_end) - epoch(x.window_start)) AS total
    FROM slo_windows AS w
    JOIN availability_windows AS x
      ON x.service = w.service AND x.kind = 'probes' AND x.window_start < w.slo_start AND x.window_end > w.slo_start
),
measured AS (
    SELECT slo_id, sum(good) AS good, sum(total) AS total
    FROM (
        SELECT w.slo_id, q.good, q.total
        FROM slo_windows AS w
        JOIN quarter_hours AS q ON q.service = w.service AND q.quarter_hour * 900 >= epoch(w.slo_start)
        UNION ALL
        SELECT slo_id, good, total FROM straddling
    )
    GROUP BY ALL
)
SELECT
    w.slo_id AS slo,
    w.service,
    w.target,
    w.time_window,
    CAST(timezone($timezone, w.slo_start) AS DATE) AS window_start,
    CAST(timezone($timezone, w.slo_end) AS DATE) - 1 AS window_end,
    m.good / nullif(m.total, 0) AS availability,
    1 - w.target AS error_budget,
    m.total * (1 - w.target) AS bad_allowed,
    m.total - m.good AS bad,
    (1 - m.good / nullif(m.total, 0)) / (1 - w.target) AS budget_consumed,
    1 - (1 - m.good / nullif(m.total, 0)) / (1 - w.target) AS error_budget_remaining
FROM slo_windows AS w
LEFT JOIN measured AS m ON m.slo_id = w.slo_id
ORDER BY slo
