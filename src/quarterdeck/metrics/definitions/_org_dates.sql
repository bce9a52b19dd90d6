-- fragment: org_dates
-- The dates an organization metric is evaluated on: --at (one date, default today) or
-- the last day of each month from --since to --until; window_start begins the window that
-- rates (attrition) are measured over: the 365 days up to --at, or the month.
SELECT unnest($dates) AS date, unnest($window_starts) AS window_start
