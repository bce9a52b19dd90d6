-- Money (docs/capitalization.md): the R&D capitalization policy (ASC 350-40 / IAS 38
-- style), stored so that capitalizable_cost applies it in SQL. A policy file is the whole
-- policy: importing one replaces the stored one.
--
-- capitalization_policy: one row. categories: the investment categories whose effort may
-- be capitalized; phases: the phases in which it is (development, by default); project_by:
-- what a project is ('epic' or 'objective'); default_phase: the phase of work no phase
-- rule matches.
CREATE TABLE capitalization_policy (
    categories    VARCHAR[] NOT NULL,
    phases        VARCHAR[] NOT NULL,
    default_phase VARCHAR NOT NULL,       -- preliminary, development, post_implementation
    project_by    VARCHAR NOT NULL,       -- epic, objective
    file          VARCHAR NOT NULL,
    line          INTEGER NOT NULL,
    source        VARCHAR NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source)
);

-- capitalization_phases: a work item's phase is that of the first rule (lowest position)
-- every field of which matches it, as the investment rules match (lower-case values, any
-- of which matches; NULL: not looked at); else the policy's default_phase.
CREATE TABLE capitalization_phases (
    position    INTEGER NOT NULL,
    phase       VARCHAR NOT NULL,         -- preliminary, development, post_implementation
    issue_types VARCHAR[],
    labels      VARCHAR[],
    epics       VARCHAR[],
    projects    VARCHAR[],
    file        VARCHAR NOT NULL,
    line        INTEGER NOT NULL,
    source      VARCHAR NOT NULL,
    loaded_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (position)
);
