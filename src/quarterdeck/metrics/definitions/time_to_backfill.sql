-- name: time_to_backfill
-- title: Time to backfill
-- description: How long a team takes to replace a leaver, over each date's window (--at:
--   the 365 days up to the date; --since/--until: each month), as the plans learn it
--   (docs/plans.md). A leaver is a spell of employment that ends in the window (as in
--   attrition_rate), counted in the group they were in on their last day. days_to_fill =
--   the days from their departure (the first day without them) to the next start (the
--   first day of a spell of employment) of the same level in the same team, within 365
--   days: median_days_to_fill and log_spread (the standard deviation of the natural log of
--   those days, 1 day at least) over the leavers that were filled. backfill_share = of the
--   leavers who left at least 180 days before the date (settled_leavers), the share followed
--   by a start of any level in their team within 180 days (backfilled). Below the minimum
--   group size (default 5 leavers) every count and figure is hidden.
-- unit: days
-- grain: group, date (--at: 365 days, or monthly with --since/--until)
-- good_direction: down
-- value: median_days_to_fill
-- default_window_days: 365
-- parameters: at, since, until, by, unit
-- groupings: org, unit, team, level, location, role, employment_type
-- group_size: leavers
-- private: filled, median_days_to_fill, log_spread, settled_leavers, backfilled, backfill_share
-- personal_groupings: level, location, role, employment_type
-- uses: org_dates, org_unit_history, org_stretches
WITH departed AS (
    SELECT s.date, s.window_start, s.group_name, s.person_id, s.valid_to, p.team_id, p.level
    FROM org_stretches AS s
    JOIN person_periods AS p ON p.person_id = s.person_id AND p.valid_to = s.valid_to AND p.leaves
    WHERE s.leaves AND s.stretch_to = s.valid_to
),
starts AS (
    SELECT DISTINCT person_id, start_date, team_id, level
    FROM person_periods
    WHERE valid_from = start_date
),
followed AS (
    SELECT
        d.*,
        (
            SELECT min(s.start_date) FROM starts AS s
            WHERE s.team_id = d.team_id AND s.level IS NOT DISTINCT FROM d.level
              AND s.start_date >= d.valid_to AND s.start_date <= d.valid_to + 365
        ) - d.valid_to AS days_to_fill,
        d.valid_to + 180 <= d.date + 1 AS settled,
        EXISTS (
            SELECT 1 FROM starts AS s
            WHERE s.team_id = d.team_id AND s.start_date >= d.valid_to AND s.start_date <= d.valid_to + 180
        ) AS backfilled
    FROM departed AS d
),
per_group AS (
    SELECT
        date,
        window_start,
        group_name,
        count(*) AS leavers,
        count(days_to_fill) AS filled,
        median(days_to_fill) AS median_days_to_fill,
        stddev_pop(ln(greatest(days_to_fill, 1))) FILTER (WHERE days_to_fill IS NOT NULL) AS log_spread,
        count(*) FILTER (WHERE settled) AS settled_leavers,
        count(*) FILTER (WHERE settled AND backfilled) AS backfilled
    FROM followed
    GROUP BY date, window_start, group_name
)
SELECT
    date,
    group_name AS "group",
    window_start,
    date - window_start + 1 AS days,
    leavers,
    filled,
    median_days_to_fill,
    round(log_spread, 4) AS log_spread,
    settled_leavers,
    backfilled,
    round(backfilled / nullif(settled_leavers, 0), 4) AS backfill_share
FROM per_group
ORDER BY date, "group"
