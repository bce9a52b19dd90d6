-- Hiring pipeline (docs/sources/hiring.md, docs/hiring.md, decision 0069): an applicant
-- tracking system's export, one row per candidate stage change.
-- requisition: the requisition (position) id as the export gives it; joined to
--   positions.position_id for its team, level and opening day when positions are imported.
-- candidate_id: the tracking system's candidate id, stored as given (an id, not a name).
-- stage: the export's own stage name (trimmed); funnel_stage: the canonical funnel stage it
--   maps onto (applied, screen, interview, offer, hired), funnel_rank 1..5 in that order.
-- entered: the day the candidate entered the stage.
-- outcome: how the candidate's application ended, on the line that says it (hired,
--   rejected, withdrew, offer_declined), else NULL.
-- candidate_source: where the candidate came from (referral, inbound, agency, sourced), or NULL.
-- A file replaces every stored row of the requisitions it holds (re-importing it changes nothing).
CREATE TABLE hiring_stages (
    requisition      VARCHAR NOT NULL,
    candidate_id     VARCHAR NOT NULL,
    stage            VARCHAR NOT NULL,
    funnel_stage     VARCHAR NOT NULL,
    funnel_rank      INTEGER NOT NULL,
    entered          DATE NOT NULL,
    outcome          VARCHAR,
    candidate_source VARCHAR,
    file             VARCHAR NOT NULL,
    line             INTEGER NOT NULL,
    source           VARCHAR NOT NULL,
    loaded_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (requisition, candidate_id, stage),
    CHECK (funnel_rank BETWEEN 1 AND 5)
);
