-- Plans (docs/plans.md, docs/talent-gaps.md).
--
-- skills: the skills inventory (docs/sources/skills.md): what a person can do and how well,
-- as of a date. One row per person, skill and date; a later date holds from then on. A
-- re-import of the same person, skill and date replaces the row.
-- skill: as written (trimmed); skill_key: the same in lower case, what skills are matched by.
-- level: proficiency on the inventory's scale, 1 (learning) .. 5 (expert).
CREATE TABLE skills (
    person_id VARCHAR NOT NULL,
    skill     VARCHAR NOT NULL,
    skill_key VARCHAR NOT NULL,
    level     INTEGER NOT NULL,
    as_of     DATE NOT NULL,
    file      VARCHAR NOT NULL,
    line      INTEGER NOT NULL,
    source    VARCHAR NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, skill_key, as_of),
    CHECK (level BETWEEN 1 AND 5)
);

-- positions: when a requisition was opened (the plan draws its time to fill from then) and
-- its job family (engineer, manager...); both optional in the export, NULL when not given.
ALTER TABLE positions ADD COLUMN opened DATE;
ALTER TABLE positions ADD COLUMN role VARCHAR;
