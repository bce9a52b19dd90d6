-- name: requisitions
-- title: Open requisitions
-- description: Each requisition open on until (as the pipeline says), with its team,
--   level, the day it opened, the days it has been open, and its candidates in each stage.
SELECT
    r.requisition,
    r.team,
    r.level,
    r.opened,
    $until - r.opened AS days_open,
    count(*) FILTER (WHERE a.rank = 1) AS applied,
    count(*) FILTER (WHERE a.rank = 2) AS screen,
    count(*) FILTER (WHERE a.rank = 3) AS interview,
    count(*) FILTER (WHERE a.rank = 4) AS offer,
    count(a.candidate_id) AS candidates
FROM open_requisitions AS r
LEFT JOIN active AS a USING (requisition)
GROUP BY r.requisition, r.team, r.level, r.opened
ORDER BY r.team, r.requisition
