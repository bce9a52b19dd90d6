-- name: error_budget_remaining
-- title: Error budget remaining
-- description: Per SLO, at the end of --until: over the SLO's time window ending then,
--   availability (good / total of its service's availability data), error budget
--   (1 - target), budget consumed ((1 - availability) / error budget) and remaining
--   (1 - consumed; negative when overspent). bad_allowed is the budget in events (or
--   seconds for probe data, cut at the window's edges) over the window so far, bad the
--   events (seconds) spent.
-- unit: share of the error budget
-- grain: SLO
-- good_direction: up
-- value: error_budget_remaining
-- default_window_days: 1
-- parameters: until
-- uses: slo_windows
WITH measured AS (
    SELECT
        w.slo_id,
        sum(a.good * a.share) AS good,
        sum(a.total * a.share) AS total
    FROM slo_windows AS w
    LEFT JOIN LATERAL (
        SELECT
            x.good,
            x.total,
            CASE WHEN x.kind = 'events' THEN 1.0
                 ELSE epoch(least(x.window_end, w.slo_end) - greatest(x.window_start, w.slo_start))
                      / nullif(epoch(x.window_end - x.window_start), 0)
            END AS share
        FROM availability_windows AS x
        WHERE x.service = w.service
          AND ((x.kind = 'events' AND x.window_start >= w.slo_start AND x.window_start < w.slo_end)
            OR (x.kind = 'probes' AND x.window_end > w.slo_start AND x.window_start < w.slo_end))
    ) AS a ON true
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
JOIN measured AS m ON m.slo_id = w.slo_id
ORDER BY slo
