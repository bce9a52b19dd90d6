-- Targets' red/amber/green history, one row per target and month (docs/targets.md,
-- docs/decisions/0076-target-history.md). Written by `quarterdeck targets record`: each whole
-- month up to the end of the data, the metric's value that month (the dashboard tile's value
-- for that month) and the target, amber edge and status in force WHEN IT WAS RECORDED. A month
-- recorded once keeps its row when the targets file changes later (unless --recompute), so
-- the history says what the bar was then. A month still open (past the data's end) is never
-- written.
CREATE TABLE target_history (
    metric      VARCHAR NOT NULL,
    scope       VARCHAR NOT NULL,      -- org | unit:<id> | team:<id> | service:<id>
    month       DATE NOT NULL,         -- the month's first day
    value       DOUBLE,                -- NULL: no value that month, or one hidden for privacy
    hidden      VARCHAR,               -- the label shown instead of a hidden value ("<5")
    target      DOUBLE NOT NULL,
    amber_edge  DOUBLE NOT NULL,
    direction   VARCHAR NOT NULL,      -- up | down
    owner       VARCHAR NOT NULL,
    review      VARCHAR NOT NULL,      -- monthly | quarterly
    status      VARCHAR NOT NULL,      -- green | amber | red | grey
    data_end    DATE NOT NULL,         -- the last day of data when the month was recorded
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (metric, scope, month),
    CHECK (status IN ('green', 'amber', 'red', 'grey')),
    CHECK (direction IN ('up', 'down')),
    CHECK (review IN ('monthly', 'quarterly'))
);
