-- name: budget_vs_actual
-- title: Budget vs actual
-- description: The budget's planned and actual amounts per group and month (budget_lines,
--   in the reporting currency at each month's rate), the variance (actual - planned) and
--   the variance as a share of planned, and a status: green within 5 % of plan either
--   way, amber from 5 % to 10 %, red beyond 10 % (decision 0052). A month (or group)
--   whose lines have no actual yet says 'no actuals yet' (actual, variance empty), never
--   zero spent; when only some of its lines have an actual, the variance and status are
--   over those lines only and lines_without_actuals counts the others (planned is the
--   whole plan). A plan of 0 with an actual above 0 is red (no percentage).
-- unit: reporting currency
-- grain: group, period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: neither
-- value: variance_pct
-- default_window_days: 365
-- parameters: since, until, grain, by, unit, currency
-- groupings: org, team, unit, category
-- uses: reporting_rates, window_months, team_lineage, unit_scope, month_units, budget_groups
-- tile: money
-- tile_order: 2
-- tile_title: Budget variance
-- tile_unit: % of plan (actual - planned)
WITH sums AS (
    SELECT
        group_name,
        period_start,
        sum(planned) AS planned,
        sum(actual) AS actual,
        sum(planned) FILTER (WHERE actual IS NOT NULL) AS planned_with_actuals,
        count(*) FILTER (WHERE actual IS NULL) AS lines_without_actuals
    FROM budget_groups
    GROUP BY ALL
)
SELECT
    group_name AS "group",
    period_start,
    round(planned, 2) AS planned,
    round(actual, 2) AS actual,
    round(actual - planned_with_actuals, 2) AS variance,
    round(100 * (actual - planned_with_actuals) / nullif(planned_with_actuals, 0), 1) AS variance_pct,
    CASE
        WHEN actual IS NULL THEN 'no actuals yet'
        WHEN abs(actual - planned_with_actuals) * 100 <= 5 * planned_with_actuals THEN 'green'
        WHEN abs(actual - planned_with_actuals) * 100 <= 10 * planned_with_actuals THEN 'amber'
        ELSE 'red'
    END AS status,
    lines_without_actuals,
    $currency AS currency
FROM sums
ORDER BY period_start, "group"
