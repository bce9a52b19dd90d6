-- name: pr_pickup_time
-- title: Pull request pickup time
-- description: For each pull (merge) request by a human author: from when it asked for review (opened,
--   or marked ready for review when opened as a draft) to its first review by someone else,
--   bots excluded, in hours; counted in the period it was picked up and the group of its
--   author then (median interpolated, p75, p90, mean).
--   authors: the people behind a row; a row about fewer than privacy.min_group_size shows
--   its hours as '<5'.
-- unit: hours
-- grain: group, period (--grain week, month, quarter or window)
-- good_direction: down
-- value: median_hours
-- group_size: authors
-- private: median_hours, p75_hours, p90_hours, mean_hours
-- default_window_days: 84
-- parameters: since, until, grain, by, unit
-- groupings: team, unit, org
-- uses: delivery_periods, pr_timeline, wait_intervals, team_lineage, unit_scope, team_units, wait_teams, wait_groups, pr_wait_stats
-- tile: waiting
-- tile_order: 10
SELECT "group", period_start, pull_requests, authors, median_hours, p75_hours, p90_hours, mean_hours
FROM pr_wait_stats
WHERE kind = 'pickup'
ORDER BY "group", period_start
