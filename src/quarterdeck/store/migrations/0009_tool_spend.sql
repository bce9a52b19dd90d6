-- Money (docs/sources/tools.md): software spend as finance exports it, one line per contract
-- (vendor, product, owner team), its annual cost in its own currency (nothing is converted).
-- team_id: the owner team (an id, name or alias of a team of the organization), resolved
--   when it was imported.
-- seats_bought, seats_used: NULL when the export does not say; more seats used than bought
--   is stored as it is (a true-up to come), not refused (decision 0043).
-- renewal_date: NULL when the export does not say.
-- A tools export is the whole list of contracts: importing one replaces every stored line
-- of the same source.
CREATE TABLE tool_spend (
    vendor       VARCHAR NOT NULL,
    product      VARCHAR NOT NULL,
    team_id      VARCHAR NOT NULL,
    annual_cost  DECIMAL(18, 2) NOT NULL,
    currency     VARCHAR NOT NULL,          -- ISO 4217, upper-case
    seats_bought INTEGER,
    seats_used   INTEGER,
    renewal_date DATE,
    file         VARCHAR NOT NULL,
    line         INTEGER NOT NULL,
    source       VARCHAR NOT NULL,
    loaded_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (vendor, product, team_id),
    CHECK (annual_cost >= 0),
    CHECK (seats_bought IS NULL OR seats_bought >= 0),
    CHECK (seats_used IS NULL OR seats_used >= 0)
);
