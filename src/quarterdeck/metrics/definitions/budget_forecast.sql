-- name: budget_forecast
-- title: Budget forecast to year end
-- description: What each group will have spent by the end of the year (the year of the
--   window's last day), against the year's plan, in the reporting currency (decision
--   0053): the budget's actuals through the last full month (actuals_through), plus the
--   months ahead: the people employed then at their loaded monthly cost (people_run_rate),
--   less what leavers with an end date ahead will no longer cost (leavers, prorated by
--   days), plus joiners with a start date ahead (joiners), open positions from their
--   expected start month (open_positions: quarterdeck ingest positions), and the last full
--   month's actual of every other category (other_run_rate: cloud, software, ...).
--   variance = forecast - planned (the year's whole plan); status green within 5 % of
--   plan, amber to 10 %, red beyond. people counts the people behind the people
--   components; in a row about fewer than the minimum group size (default 5) those and
--   the forecast are hidden, the status is not.
-- unit: reporting currency per year
-- grain: group, year (to the end of the year the data ends in, or of --until)
-- good_direction: neither
-- value: forecast
-- default_window_days: 1
-- parameters: until, by, unit, currency
-- groupings: org, team, unit
-- group_size: people
-- private: people_run_rate, leavers, joiners, forecast, variance, variance_pct
-- uses: reporting_rates, team_lineage, unit_scope, forecast_amounts
WITH units AS (  -- the units each team counts in on run_day (--by, --unit)
    SELECT DISTINCT l.team_id, l.unit_id
    FROM team_lineage AS l
    CROSS JOIN (SELECT any_value(run_day) AS run_day FROM forecast_amounts) AS b
    LEFT JOIN unit_scope AS s ON s.team_id = l.team_id AND s.valid_from <= b.run_day AND s.valid_to > b.run_day
    WHERE l.valid_from <= b.run_day AND l.valid_to > b.run_day
      AND (l.depth = 0 OR $by = 'unit')
      AND ($unit = '' OR (s.team_id IS NOT NULL AND l.depth <= s.depth))
),
grouped AS (
    SELECT
        CASE $by WHEN 'org' THEN 'organization' ELSE coalesce(u.unit_id, f.team_id, '(no team)') END AS group_name,
        f.*
    FROM forecast_amounts AS f
    LEFT JOIN units AS u ON u.team_id = f.team_id
    WHERE $unit = '' OR u.team_id IS NOT NULL
),
sums AS (
    SELECT
        group_name,
        any_value(year_start) AS year_start,
        any_value(run_day) AS run_day,
        count(DISTINCT person_id) AS people,
        coalesce(sum(amount) FILTER (WHERE component = 'actual'), 0) AS actual,
        coalesce(sum(amount) FILTER (WHERE component = 'people_run_rate'), 0) AS people_run_rate,
        coalesce(sum(amount) FILTER (WHERE component = 'leavers'), 0) AS leavers,
        coalesce(sum(amount) FILTER (WHERE component = 'joiners'), 0) AS joiners,
        coalesce(sum(amount) FILTER (WHERE component = 'open_positions'), 0) AS open_positions,
        coalesce(sum(amount) FILTER (WHERE component = 'other_run_rate'), 0) AS other_run_rate,
        sum(amount) FILTER (WHERE component = 'planned') AS planned
    FROM grouped
    GROUP BY group_name
),
totals AS (
    SELECT *, actual + people_run_rate + leavers + joiners + open_positions + other_run_rate AS forecast FROM sums
)
SELECT
    group_name AS "group",
    year(year_start) AS year,
    CASE WHEN run_day >= year_start THEN strftime(run_day, '%Y-%m') END AS actuals_through,
    people,
    round(actual, 2) AS actual,
    round(people_run_rate, 2) AS people_run_rate,
    round(leavers, 2) AS leavers,
    round(joiners, 2) AS joiners,
    round(open_positions, 2) AS open_positions,
    round(other_run_rate, 2) AS other_run_rate,
    round(forecast, 2) AS forecast,
    round(planned, 2) AS planned,
    round(forecast - planned, 2) AS variance,
    round(100 * (forecast - planned) / nullif(planned, 0), 1) AS variance_pct,
    CASE
        WHEN planned IS NULL THEN 'no budget'
        WHEN abs(forecast - planned) * 100 <= 5 * planned THEN 'green'
        WHEN abs(forecast - planned) * 100 <= 10 * planned THEN 'amber'
        ELSE 'red'
    END AS status,
    $currency AS currency
FROM totals
ORDER BY "group"
