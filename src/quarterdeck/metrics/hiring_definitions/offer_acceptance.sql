-- name: offer_acceptance
-- title: Offer acceptance
-- description: Of the offers made between since and until (a candidate entering the offer
--   stage, or the hired stage without an offer line), those decided (hired, or the
--   application ended: declined, withdrew, rejected), accepted (hired) and declined
--   (outcome offer_declined); acceptance = accepted / decided.
SELECT
    group_name AS "group",
    count(*) AS offers,
    count(*) FILTER (WHERE hired_on IS NOT NULL OR outcome IS NOT NULL) AS decided,
    count(hired_on) AS accepted,
    count(*) FILTER (WHERE hired_on IS NULL AND outcome = 'offer_declined') AS declined,
    count(hired_on) / nullif(count(*) FILTER (WHERE hired_on IS NOT NULL OR outcome IS NOT NULL), 0) AS acceptance
FROM grouped
WHERE offer_on BETWEEN $since AND $until
GROUP BY group_name
ORDER BY group_name
