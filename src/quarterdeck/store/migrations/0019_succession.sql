-- Succession (docs/succession.md, docs/sources/succession.md).
--
-- successors: who could take a role, and how soon, as of a date. One row per role,
-- successor and date; a later date holds from then on (the findings read each role and
-- successor's latest line on or before the date asked). A re-import of a file replaces the
-- rows it stored before.
-- role_kind: 'seat' (a leadership seat, role_id = the person holding it) or 'service'
--   (role_id = the service id); role: as written in the file.
-- readiness: 'ready now', '1-2 years' or '3+ years'.
CREATE TABLE successors (
    role_kind    VARCHAR NOT NULL,
    role_id      VARCHAR NOT NULL,
    role         VARCHAR NOT NULL,
    successor_id VARCHAR NOT NULL,
    readiness    VARCHAR NOT NULL,
    as_of        DATE NOT NULL,
    file         VARCHAR NOT NULL,
    line         INTEGER NOT NULL,
    source       VARCHAR NOT NULL,
    loaded_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (role_kind, role_id, successor_id, as_of),
    CHECK (role_kind IN ('seat', 'service')),
    CHECK (readiness IN ('ready now', '1-2 years', '3+ years'))
);
