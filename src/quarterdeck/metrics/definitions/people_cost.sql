-- name: people_cost
-- title: People cost
-- description: The fully loaded cost of the people employed, per month, in the reporting
--   currency: each person's annual_cost (the people export's, in [money]
--   people_cost_currency) times the loaded-cost multiplier of their location
--   ([money.loaded_cost_multipliers]), converted at the month's rate, divided by 12 and
--   prorated by the days they were employed on the team that month (a person joining or
--   leaving mid-month, or moving between teams, counts for their days only: people_months).
--   people counts the people behind a row, fte their days over the month's days,
--   people_without_cost those employed without a cost in the export (not in the sum). In
--   a row about fewer people than the minimum group size (default 5) the cost and the
--   count without a cost are hidden. With --grain quarter or window the months add up.
-- unit: reporting currency
-- grain: group, period (--grain month, quarter or window)
-- grains: month, quarter, window
-- good_direction: neither
-- value: people_cost
-- default_window_days: 365
-- parameters: since, until, grain, by, unit, currency
-- groupings: org, team, unit, level, location
-- group_size: people
-- private: people_cost, people_without_cost
-- personal_groupings: level, location
-- uses: reporting_rates, people_months, window_months, team_lineage, unit_scope, month_units, people_groups
-- tile: money
-- tile_order: 4
SELECT
    group_name AS "group",
    period_start,
    count(DISTINCT person_id) AS people,
    round(sum(fte), 2) AS fte,
    round(sum(cost), 2) AS people_cost,
    count(DISTINCT person_id) FILTER (WHERE cost IS NULL) AS people_without_cost,
    $currency AS currency
FROM people_groups
GROUP BY ALL
ORDER BY period_start, "group"
