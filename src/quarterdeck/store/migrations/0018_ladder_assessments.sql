-- Career ladders and assessments (docs/ladders.md, docs/sources/assessments.md).
--
-- ladders: the imported career ladder (quarterdeck ingest ladder FILE), one row: slot is
-- always 'current'; document is the ladder file's YAML text as imported, read again by
-- Quarterdeck (config/ladder_file.py). No row: the built-in default ladder holds.
CREATE TABLE ladders (
    slot      VARCHAR NOT NULL,
    name      VARCHAR NOT NULL,
    document  VARCHAR NOT NULL,
    file      VARCHAR NOT NULL,
    source    VARCHAR NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (slot)
);

-- assessments: a person's rating in a competency of the ladder, on the ladder's scale, as of
-- a date, by an assessor (as written). One row per person, competency and date; the latest
-- on or before a day is what holds then. competency: the ladder's name for it;
-- competency_key: the same in lower case.
CREATE TABLE assessments (
    person_id      VARCHAR NOT NULL,
    competency     VARCHAR NOT NULL,
    competency_key VARCHAR NOT NULL,
    rating         INTEGER NOT NULL,
    assessed_on    DATE NOT NULL,
    assessor       VARCHAR NOT NULL,
    file           VARCHAR NOT NULL,
    line           INTEGER NOT NULL,
    source         VARCHAR NOT NULL,
    loaded_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, competency_key, assessed_on),
    CHECK (rating >= 0)
);
