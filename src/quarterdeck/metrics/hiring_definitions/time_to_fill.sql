-- name: time_to_fill
-- title: Time to fill
-- description: Days from a requisition's opening (the position's opened day, else the
--   first day a candidate of it entered a stage) to its first hire (the day the hired
--   candidate entered the hired stage: the accepted offer or the start, as the export
--   records it), over the requisitions filled between since and until: how many, the
--   median and the 90th percentile (interpolated). By source: the hired candidate's source.
, fills AS (
    SELECT
        requisition,
        arg_min(group_name, hired_on) AS group_name,
        min(hired_on) AS filled_on,
        any_value(opened) AS opened
    FROM grouped
    WHERE hired_on IS NOT NULL
    GROUP BY requisition
)
SELECT
    group_name AS "group",
    count(*) AS filled,
    median(filled_on - opened) AS median_days,
    quantile_cont(filled_on - opened, 0.9) AS p90_days
FROM fills
WHERE filled_on BETWEEN $since AND $until
GROUP BY group_name
ORDER BY group_name
