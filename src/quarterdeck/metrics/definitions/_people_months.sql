-- fragment: people_months
-- Each person's months in the window, per team: one row per person, team and calendar
-- month that overlaps the window ($since .. $until, whole days in the organization's time
-- zone), from the person's periods (person_periods: a move, a change of cost or location
-- starts a new period).
-- days: the days of that month inside the window on which the person was employed on that
--   team (start and end dates both included, as the exports say); days_in_month: the
--   month's length; fte = days / days_in_month.
-- cost: the fully loaded cost of those days in the reporting currency: annual_cost x the
--   loaded-cost multiplier of the person's location (setting money.loaded_cost_multipliers,
--   1 unless set) x the rate from the people export's currency (money.people_cost_currency,
--   the reporting currency unless set) for the month, / 12 x days / days_in_month
--   (decision 0046). NULL when the export gives the person no cost. A month still open at
--   the window's end counts its days so far.
-- Needs the reporting_rates fragment before it.
WITH bounds AS (
    SELECT
        CAST(timezone($timezone, $since) AS DATE) AS first_day,
        CAST(timezone($timezone, $until_end) AS DATE) AS after_last_day
),
months AS (
    SELECT
        CAST(m AS DATE) AS month,
        greatest(CAST(m AS DATE), b.first_day) AS month_from,
        least(CAST(m + INTERVAL 1 MONTH AS DATE), b.after_last_day) AS month_to,
        datediff('day', CAST(m AS DATE), CAST(m + INTERVAL 1 MONTH AS DATE)) AS days_in_month
    FROM bounds AS b,
         unnest(generate_series(date_trunc('month', b.first_day), b.after_last_day - 1, INTERVAL 1 MONTH)) AS t(m)
),
stretches AS (
    SELECT
        p.person_id,
        p.team_id,
        p.location,
        p.level,
        coalesce(p.role, p.title) AS role,
        p.employment_type,
        p.annual_cost,
        m.month,
        m.days_in_month,
        datediff(
            'day',
            greatest(p.valid_from, m.month_from),
            least(coalesce(p.valid_to, m.month_to), m.month_to)
        ) AS days
    FROM person_periods AS p
    JOIN months AS m
      ON p.valid_from < m.month_to AND (p.valid_to IS NULL OR p.valid_to > m.month_from)
),
priced AS (
    SELECT
        s.*,
        coalesce(
            list_extract($multiplier_values, list_position($multiplier_locations, lower(s.location))),
            list_extract($multiplier_values, len($multiplier_values))
        ) AS multiplier,
        $people_currency AS currency
    FROM stretches AS s
)
SELECT
    p.person_id,
    p.team_id,
    p.location,
    p.level,
    p.role,
    p.employment_type,
    p.month,
    CAST(sum(p.days) AS INTEGER) AS days,
    any_value(p.days_in_month) AS days_in_month,
    sum(p.days) / any_value(p.days_in_month) AS fte,
    sum(
        CASE
            WHEN p.annual_cost IS NULL THEN NULL
            WHEN r.rate IS NULL THEN error(
                'no rate from ' || p.currency || ' to ' || $currency || ' for ' || strftime(p.month, '%Y-%m')
                || ' (the people export''s costs, setting money.people_cost_currency): import one with '
                || 'quarterdeck ingest rates FILE'
            )
            ELSE CAST(p.annual_cost AS DOUBLE) * p.multiplier * r.rate / 12 * p.days / p.days_in_month
        END
    ) AS cost
FROM priced AS p
ASOF LEFT JOIN reporting_rates AS r ON r.currency = p.currency AND p.month >= r.month
WHERE p.days > 0
GROUP BY ALL
