-- name: conversion
-- title: Stage conversion
-- description: Of the candidates who entered a funnel stage between since and until
--   (reached), those decided (who reached a later stage, or whose application ended), and
--   of those the share who reached a later stage (moved_on / decided). A candidate still
--   in the stage is not decided yet and does not count in the share.
SELECT
    g.group_name AS "group",
    s.funnel_stage AS stage,
    count(*) AS reached,
    count(*) FILTER (WHERE s.left_on IS NOT NULL OR g.outcome IS NOT NULL) AS decided,
    count(s.left_on) AS moved_on,
    count(s.left_on) / nullif(count(*) FILTER (WHERE s.left_on IS NOT NULL OR g.outcome IS NOT NULL), 0)
        AS conversion
FROM steps AS s
JOIN grouped AS g USING (requisition, candidate_id)
WHERE s.funnel_rank < 5 AND s.entered BETWEEN $since AND $until
GROUP BY g.group_name, s.funnel_stage, s.funnel_rank
ORDER BY g.group_name, s.funnel_rank
