-- Money (docs/sources/positions.md): open positions (requisitions) as recruiting or finance
-- exports them: who the organization means to hire, in which team, from which month, at
-- what annual cost (in its own currency, nothing converted). budget_forecast counts the
-- positions whose status is open from their expected start month to the year end.
-- team_id: the team it names (an id, name or alias of a team of the organization),
--   resolved when it was imported; team: as written.
-- start_month: the first day of the month the hire is expected to start.
-- annual_cost: the position's yearly cost as the export gives it (fully loaded or not: the
--   location's loaded multiplier is not applied, decision 0053).
-- A positions export is the whole list: importing one replaces every stored position of
-- the same source.
CREATE TABLE positions (
    position_id VARCHAR NOT NULL,
    team        VARCHAR NOT NULL,
    team_id     VARCHAR NOT NULL,
    level       VARCHAR,
    location    VARCHAR,
    start_month DATE NOT NULL,
    annual_cost DECIMAL(18, 2) NOT NULL,
    currency    VARCHAR NOT NULL,          -- ISO 4217, upper-case
    status      VARCHAR NOT NULL,          -- open, on_hold, filled, cancelled
    file        VARCHAR NOT NULL,
    line        INTEGER NOT NULL,
    source      VARCHAR NOT NULL,
    loaded_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (position_id),
    CHECK (annual_cost >= 0)
);
