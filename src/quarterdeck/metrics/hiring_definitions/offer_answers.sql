-- name: offer_answers
-- title: Searches to an answered offer
-- description: What a plan learns its time to fill and offer acceptance from (docs/plans.md,
--   decision 0069): each answered offer (hired, or the application ended after an offer)
--   answered between since and until, on the day of its answer (the hire's day; for an
--   ended one, the day of its offer line), and the search before it: from the requisition's
--   opening, or the requisition's previous answered offer when later. offers, accepted,
--   median_days and log_spread (the standard deviation of the natural log of those days,
--   1 day at least), as the plan's engine draws a search and then an answer.
, answers AS (
    SELECT
        requisition,
        group_name,
        opened,
        coalesce(hired_on, offer_on) AS answered,
        hired_on IS NOT NULL AS accepted
    FROM grouped
    WHERE offer_on IS NOT NULL AND (hired_on IS NOT NULL OR outcome IS NOT NULL)
),
searches AS (
    SELECT
        *,
        answered - greatest(
            opened, coalesce(lag(answered) OVER (PARTITION BY requisition ORDER BY answered, accepted), opened)
        ) AS days
    FROM answers
)
SELECT
    group_name AS "group",
    count(*) AS offers,
    count(*) FILTER (WHERE accepted) AS accepted,
    median(days) AS median_days,
    stddev_pop(ln(greatest(days, 1))) AS log_spread
FROM searches
WHERE answered BETWEEN $since AND $until
GROUP BY group_name
ORDER BY group_name
