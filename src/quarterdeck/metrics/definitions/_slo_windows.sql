-- fragment: slo_windows
-- Each SLO with the time window that ends with the last day asked for (--until, in the
-- organization's time zone): a rolling window is its last N days; a calendar window (1M, 1Q,
-- 1Y, 1w) starts at the start of its calendar month, quarter, year or week.
WITH last_day AS (
    SELECT CAST(timezone($timezone, $until_end) AS DATE) - 1 AS day
)
SELECT
    s.*,
    timezone($timezone, CAST(
        CASE
            WHEN s.rolling THEN l.day - (s.window_days - 1)
            WHEN s.time_window LIKE '%M' THEN date_trunc('month', l.day)
            WHEN s.time_window LIKE '%Q' THEN date_trunc('quarter', l.day)
            WHEN s.time_window LIKE '%Y' THEN date_trunc('year', l.day)
            WHEN s.time_window LIKE '%w' THEN date_trunc('week', l.day)
            ELSE l.day - (s.window_days - 1)
        END AS TIMESTAMP)) AS slo_start,
    $until_end AS slo_end
FROM scoped_slos AS s, last_day AS l
