-- name: span_of_control
-- title: Span of control
-- description: How many people report directly to each manager, as a distribution. A
--   manager is a person employed on the date with at least one direct report employed on
--   that date (people whose manager_id is them, in the people exports); their span is that
--   number (indirect reports not counted). Per group of managers (by the manager's own
--   team, or each unit above it): managers, their direct reports, mean and median span,
--   share of managers with fewer than 4 reports (below 4 a manager is acting as a tech
--   lead manager, Larson) and with more than 8 (Larson and Grove: 6-8 is the norm), and
--   managers per span bucket 1 / 2-3 / 4-8 / 9-12 / 13+ (Orgvue: report the
--   distribution, not only the mean). Groups without a manager have no row. Spans are
--   the org chart's structure: not hidden for small groups, and not grouped by personal
--   attributes (level, location), whose group sizes are hidden.
-- unit: direct reports per manager
-- grain: group, date (--at, or monthly with --since/--until)
-- good_direction: neither
-- value: median_span
-- default_window_days: 365
-- parameters: at, since, until, by, unit
-- groupings: org, unit, team
-- group_size: managers
-- uses: org_dates, people_at, teams_at, unit_tree, org_groups, org_reports
-- tile: people
-- tile_order: 30
WITH spans AS (
    SELECT g.date, g.group_name, g.person_id, r.direct_reports AS span
    FROM org_groups AS g
    JOIN org_reports AS r ON r.date = g.date AND r.person_id = g.person_id
    WHERE r.direct_reports > 0
)
SELECT
    date,
    group_name AS "group",
    count(*) AS managers,
    sum(span) AS direct_reports,
    round(avg(span), 2) AS mean_span,
    median(span) AS median_span,
    round(count(*) FILTER (WHERE span < 4) / count(*), 4) AS share_below_4,
    round(count(*) FILTER (WHERE span > 8) / count(*), 4) AS share_above_8,
    count(*) FILTER (WHERE span = 1) AS span_1,
    count(*) FILTER (WHERE span BETWEEN 2 AND 3) AS span_2_to_3,
    count(*) FILTER (WHERE span BETWEEN 4 AND 8) AS span_4_to_8,
    count(*) FILTER (WHERE span BETWEEN 9 AND 12) AS span_9_to_12,
    count(*) FILTER (WHERE span >= 13) AS span_13_plus
FROM spans
GROUP BY date, group_name
ORDER BY date, "group"
