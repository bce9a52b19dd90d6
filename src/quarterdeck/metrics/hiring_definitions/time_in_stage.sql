-- name: time_in_stage
-- title: Time in stage
-- description: Days a candidate spent in a funnel stage: from the day they entered it to
--   the day they entered a later one, over the candidates who moved on between since and
--   until (a candidate still in the stage, or who left the process from it, has no known
--   end and is not counted): how many, the median and the 90th percentile (interpolated).
SELECT
    g.group_name AS "group",
    s.funnel_stage AS stage,
    count(*) AS candidates,
    median(s.left_on - s.entered) AS median_days,
    quantile_cont(s.left_on - s.entered, 0.9) AS p90_days
FROM steps AS s
JOIN grouped AS g USING (requisition, candidate_id)
WHERE s.left_on IS NOT NULL AND s.left_on BETWEEN $since AND $until
GROUP BY g.group_name, s.funnel_stage, s.funnel_rank
ORDER BY g.group_name, s.funnel_rank
