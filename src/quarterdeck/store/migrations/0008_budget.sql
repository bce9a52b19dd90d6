-- Money (docs/sources/budget.md): budget lines per month as finance exports them, each in
-- its own currency (nothing is converted when stored).
-- month: the first day of the month.
-- cost_center: the team or cost center as the file names it; team_id: the team it names
--   (an id, name or alias of a team of the organization), resolved when it was imported.
-- actual: NULL for a month not yet spent (a plan for future months).
-- A line is one (month, cost center, category, currency): a team may plan the same category
-- in two currencies (contractors paid in USD and in EUR) and the two are not added up.
-- A re-import of a file replaces every stored line of the months the file covers.
CREATE TABLE budget_lines (
    month       DATE NOT NULL,
    cost_center VARCHAR NOT NULL,
    team_id     VARCHAR NOT NULL,
    category    VARCHAR NOT NULL,          -- people, contractors, cloud, software, travel, other
    planned     DECIMAL(18, 2) NOT NULL,
    actual      DECIMAL(18, 2),
    currency    VARCHAR NOT NULL,          -- ISO 4217, upper-case
    file        VARCHAR NOT NULL,
    line        INTEGER NOT NULL,
    source      VARCHAR NOT NULL,
    loaded_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (month, cost_center, category, currency)
);
