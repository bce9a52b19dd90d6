-- name: pipeline
-- title: Pipeline per open position
-- description: On until: the open requisitions (opened by then, no candidate hired by then,
--   and the position open, or filled by a later hire), and their candidates in each
--   stage: a candidate is in the latest funnel stage entered
--   by then, unless hired or their application ended (a line giving an outcome) by then.
--   per_position = candidates / open positions. By source: the candidate's source (an open
--   position without candidates counts under '(no source)').
, pipeline AS (
    SELECT
        o.requisition,
        a.candidate_id,
        a.rank,
        CASE $by WHEN 'team' THEN o.team WHEN 'level' THEN o.level WHEN 'source' THEN coalesce(a.source, '(no source)')
            ELSE 'org' END AS group_name
    FROM open_requisitions AS o
    LEFT JOIN active AS a USING (requisition)
)
SELECT
    group_name AS "group",
    count(DISTINCT requisition) AS open_positions,
    count(*) FILTER (WHERE rank = 1) AS applied,
    count(*) FILTER (WHERE rank = 2) AS screen,
    count(*) FILTER (WHERE rank = 3) AS interview,
    count(*) FILTER (WHERE rank = 4) AS offer,
    count(candidate_id) AS candidates,
    count(candidate_id) / count(DISTINCT requisition) AS per_position
FROM pipeline
GROUP BY group_name
ORDER BY group_name
