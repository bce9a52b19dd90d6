-- The hiring pipeline's shared parts (docs/hiring.md, decision 0069); each hiring metric
-- file continues this WITH. Parameters: $since, $until (days, inclusive), $by (org, team,
-- level or source); $everyone, else only the requisitions whose position's team is one of
-- $teams (a leader's unit: a requisition without a position is nobody's unit).
-- requisitions: every requisition of the export and every stored position, with its team
--   and level (from the position of the same id; '(no position)' without one), the day it
--   opened (the position's opened, else the first day a candidate of it entered a stage)
--   and the position's status (NULL without a position).
-- candidates: one row per candidate of a requisition: its source (the first line that gives
--   one), its outcome (the latest line that gives one), the day it was hired (entered the
--   hired stage), the day of its offer (entered offer, or hired without an offer line).
-- steps: one row per candidate and funnel stage reached: the day entered (the first line of
--   that stage) and left_on, the day the candidate entered a later stage (NULL: not yet, or never).
-- grouped: candidates with their requisition's team, level, opening day and group_name.
-- active: on $until, each candidate still in the process (no outcome line and not hired by
--   then) with the latest funnel stage entered by then (rank) and their source.
-- open_requisitions: the requisitions open on $until: opened by then (or with no known
--   opening day), none of its candidates hired by then, and its position (if any) open, or
--   filled by a hire after $until (a position's status is today's; the hire dates tell the past).
WITH requisition_ids AS (
    SELECT requisition FROM hiring_stages
    UNION
    SELECT position_id FROM positions
),
requisitions AS (
    SELECT
        i.requisition,
        coalesce(p.team_id, '(no position)') AS team,
        CASE WHEN p.position_id IS NULL THEN '(no position)' ELSE coalesce(p.level, '(no level)') END AS level,
        coalesce(p.opened, (SELECT min(h.entered) FROM hiring_stages AS h WHERE h.requisition = i.requisition))
            AS opened,
        p.status
    FROM requisition_ids AS i
    LEFT JOIN positions AS p ON p.position_id = i.requisition
    WHERE $everyone OR list_contains($teams, p.team_id)
),
candidates AS (
    SELECT
        requisition,
        candidate_id,
        coalesce(arg_min(candidate_source, line) FILTER (WHERE candidate_source IS NOT NULL), '(no source)') AS source,
        arg_max(outcome, entered) FILTER (WHERE outcome IS NOT NULL) AS outcome,
        min(entered) FILTER (WHERE funnel_rank = 5) AS hired_on,
        min(entered) FILTER (WHERE funnel_rank >= 4) AS offer_on
    FROM hiring_stages
    GROUP BY requisition, candidate_id
),
entries AS (
    SELECT requisition, candidate_id, funnel_rank, funnel_stage, min(entered) AS entered
    FROM hiring_stages
    GROUP BY requisition, candidate_id, funnel_rank, funnel_stage
),
steps AS (
    SELECT
        e.*,
        min(e.entered) OVER (
            PARTITION BY e.requisition, e.candidate_id ORDER BY e.funnel_rank
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
        ) AS left_on
    FROM entries AS e
),
grouped AS (
    SELECT
        c.*,
        r.team,
        r.level,
        r.opened,
        CASE $by WHEN 'team' THEN r.team WHEN 'level' THEN r.level WHEN 'source' THEN c.source ELSE 'org' END
            AS group_name
    FROM candidates AS c
    JOIN requisitions AS r USING (requisition)
),
active AS (
    SELECT
        requisition,
        candidate_id,
        max(funnel_rank) AS rank,
        coalesce(arg_min(candidate_source, line) FILTER (WHERE candidate_source IS NOT NULL), '(no source)')
            AS source
    FROM hiring_stages
    WHERE entered <= $until
    GROUP BY requisition, candidate_id
    HAVING count(outcome) = 0 AND max(funnel_rank) < 5
),
hires AS (
    SELECT requisition, min(hired_on) AS first_hire FROM candidates WHERE hired_on IS NOT NULL GROUP BY requisition
),
open_requisitions AS (
    SELECT r.*
    FROM requisitions AS r
    LEFT JOIN hires AS h USING (requisition)
    WHERE coalesce(r.opened <= $until, true)
      AND coalesce(h.first_hire > $until, true)
      AND (r.status IS NULL OR r.status = 'open' OR (r.status = 'filled' AND h.first_hire > $until))
)
