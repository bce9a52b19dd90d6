-- fragment: org_dates
-- The dates an organization metric is evaluated on: --at (one date, default today) or
-- the last day of each month from --since to --until; window_start begins the window that
-- rates (attrition) are measured over: the 365 days up to --at, or the month.
-- The organization is known from its first snapshot on (the first people export, or the
-- first catalog for an organization without one): a date before it is not evaluated (no
-- rows), and a window that starts earlier starts on that snapshot's date. Before it,
-- only the people still employed at the first export are known, so headcounts would be
-- short and leavers missing.
SELECT asked.date, greatest(asked.window_start, known.first_day) AS window_start
FROM (SELECT unnest($dates) AS date, unnest($window_starts) AS window_start) AS asked
CROSS JOIN (
    SELECT coalesce(
        (SELECT min(as_of) FROM people_snapshots),
        (SELECT min(as_of) FROM catalog_users)
    ) AS first_day
) AS known
WHERE asked.date >= known.first_day
