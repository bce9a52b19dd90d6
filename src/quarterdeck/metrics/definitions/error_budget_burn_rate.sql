-- name: error_budget_burn_rate
-- title: Error budget burn rate
-- description: Per SLO and period: (1 - availability in the period) / (1 - target), as in
--   the SRE workbook. 1 spends the error budget exactly over the SLO's window; above 1
--   spends it sooner. No availability data in a period: no value. Probe intervals are cut at
--   the window's edges. With --unit: only the SLOs of the services the teams of that unit's
--   subtree own.
-- unit: times the sustainable rate
-- grain: SLO, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: burn_rate
-- default_window_days: 28
-- parameters: since, until, grain, unit
-- uses: team_lineage, owner_scope, scoped_slos, delivery_periods, availability_inside
WITH measured AS (
    SELECT
        s.slo_id,
        time_bucket($period, CAST(a.day AS DATE), $period_origin) AS period_start,
        sum(a.good) AS good,
        sum(a.total) AS total
    FROM scoped_slos AS s
    JOIN availability_inside AS a ON a.service = s.service
    GROUP BY ALL
)
SELECT
    s.slo_id AS slo,
    s.service,
    s.target,
    p.period_start,
    m.good / nullif(m.total, 0) AS availability,
    (1 - m.good / nullif(m.total, 0)) / (1 - s.target) AS burn_rate
FROM scoped_slos AS s
CROSS JOIN delivery_periods AS p
LEFT JOIN measured AS m ON m.slo_id = s.slo_id AND m.period_start = p.period_start
ORDER BY slo, p.period_start
