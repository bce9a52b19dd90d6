-- fragment: forecast_amounts
-- What budget_forecast adds up, one row per team, component and month, converted to the
-- reporting currency at each month's rate (the latest rate for months ahead; a currency
-- without a rate is an error). The year is the one the window's last day is in; actuals
-- run through the last full month (run_day: the window's last day when it ends a month,
-- else the last day of the month before), the months after it to the year end are
-- forecast (decision 0053):
-- - actual: the budget lines' actual amounts, months of the year up to run_day;
-- - planned: the budget lines' planned amounts, every month of the year;
-- - people_run_rate: each person employed on run_day, at their loaded monthly cost then
--   (annual_cost x their location's multiplier / 12, as people_months prices it), for
--   every month ahead;
-- - leavers: minus that cost for the days after the last day of those whose end date is
--   ahead (prorated by days);
-- - joiners: people whose employment starts after run_day (a start date ahead), for their
--   days ahead, at their own cost;
-- - open_positions: positions whose status is open, a twelfth of their annual cost for each
--   month from their expected start month (or the first month ahead, if it has passed);
-- - other_run_rate: the actual of run_day's month of each category other than people, for
--   every month ahead.
WITH bounds AS (
    SELECT
        d.last_day,
        CAST(date_trunc('year', d.last_day) AS DATE) AS year_start,
        CAST(date_trunc('year', d.last_day) + INTERVAL 1 YEAR AS DATE) AS year_end,
        CASE WHEN d.last_day = last_day(d.last_day) THEN d.last_day
             ELSE CAST(date_trunc('month', d.last_day) AS DATE) - 1 END AS run_day
    FROM (SELECT CAST(timezone($timezone, $until_end) AS DATE) - 1 AS last_day) AS d
),
ahead AS (
    SELECT
        CAST(t.m AS DATE) AS month,
        CAST(t.m + INTERVAL 1 MONTH AS DATE) AS month_end,
        date_diff('day', CAST(t.m AS DATE), CAST(t.m + INTERVAL 1 MONTH AS DATE)) AS days_in_month
    FROM bounds AS b, unnest(generate_series(CAST(b.run_day + 1 AS TIMESTAMP), CAST(b.year_end - 1 AS TIMESTAMP),
                                             INTERVAL 1 MONTH)) AS t(m)
),
spells AS (  -- each period with the first day after its spell of employment (NULL: no end known)
    SELECT p.*, (
        SELECT min(q.valid_to) FROM person_periods AS q
        WHERE q.person_id = p.person_id AND q.start_date = p.start_date AND q.leaves AND q.valid_to > p.valid_from
    ) AS spell_end
    FROM person_periods AS p
),
employed AS (  -- on run_day (the run rate) or from a start date ahead (joiners)
    SELECT s.*, CASE WHEN s.valid_from <= b.run_day THEN 'current' ELSE 'joiner' END AS kind,
        CASE WHEN s.valid_from <= b.run_day THEN b.run_day + 1 ELSE s.valid_from END AS counted_from
    FROM spells AS s, bounds AS b
    WHERE (s.valid_from <= b.run_day AND (s.valid_to IS NULL OR s.valid_to > b.run_day))
       OR (s.valid_from > b.run_day AND s.valid_from = s.start_date AND s.valid_from < b.year_end)
),
people_ahead AS (
    SELECT
        e.person_id,
        e.team_id,
        e.kind,
        a.month,
        a.days_in_month,
        greatest(0, date_diff('day', greatest(a.month, e.counted_from),
                              least(a.month_end, coalesce(e.spell_end, a.month_end)))) AS days,
        CAST(e.annual_cost AS DOUBLE) / 12 * coalesce(
            list_extract($multiplier_values, list_position($multiplier_locations, lower(e.location))),
            list_extract($multiplier_values, len($multiplier_values))
        ) AS monthly_cost
    FROM employed AS e
    JOIN ahead AS a ON a.month_end > e.counted_from
),
own AS (  -- team, component, person (people components), month, currency, amount in that currency
    SELECT team_id, 'people_run_rate' AS component, person_id, month, $people_currency AS currency, monthly_cost AS amount
    FROM people_ahead WHERE kind = 'current'
    UNION ALL
    SELECT team_id, 'leavers', person_id, month, $people_currency, monthly_cost * (days - days_in_month) / days_in_month
    FROM people_ahead WHERE kind = 'current' AND days < days_in_month
    UNION ALL
    SELECT team_id, 'joiners', person_id, month, $people_currency, monthly_cost * days / days_in_month
    FROM people_ahead WHERE kind = 'joiner' AND days > 0
    UNION ALL
    SELECT p.team_id, 'open_positions', NULL, a.month, p.currency, CAST(p.annual_cost AS DOUBLE) / 12
    FROM positions AS p JOIN ahead AS a ON a.month >= p.start_month
    WHERE p.status = 'open'
    UNION ALL
    SELECT l.team_id, 'other_run_rate', NULL, a.month, l.currency, CAST(l.actual AS DOUBLE)
    FROM budget_lines AS l, bounds AS b, ahead AS a
    WHERE l.month = date_trunc('month', b.run_day) AND l.category <> 'people' AND l.actual IS NOT NULL
    UNION ALL
    SELECT l.team_id, 'actual', NULL, l.month, l.currency, CAST(l.actual AS DOUBLE)
    FROM budget_lines AS l, bounds AS b
    WHERE l.month >= b.year_start AND l.month <= b.run_day AND l.actual IS NOT NULL
    UNION ALL
    SELECT l.team_id, 'planned', NULL, l.month, l.currency, CAST(l.planned AS DOUBLE)
    FROM budget_lines AS l, bounds AS b
    WHERE l.month >= b.year_start AND l.month < b.year_end
)
SELECT
    o.team_id,
    o.component,
    o.person_id,
    o.month,
    CASE WHEN o.amount IS NULL THEN NULL
        WHEN r.rate IS NULL THEN error('no rate from ' || o.currency || ' to ' || $currency || ' for '
                                       || strftime(o.month, '%Y-%m') || ': import one with quarterdeck ingest rates FILE')
        ELSE o.amount * r.rate END AS amount,
    b.year_start,
    b.run_day
FROM own AS o
CROSS JOIN bounds AS b
ASOF LEFT JOIN reporting_rates AS r ON r.currency = o.currency AND o.month >= r.month
