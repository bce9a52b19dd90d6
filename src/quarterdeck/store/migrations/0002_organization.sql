-- The organization: what each dated import said (snapshots), and the history derived from
-- all of them (periods with valid_from / valid_to), so that any metric can ask who was on
-- which team, under which manager, at which level, on a given date.
-- valid_from is inclusive, valid_to exclusive; NULL valid_from means "since before the
-- first snapshot", NULL valid_to "still so at the latest snapshot".

CREATE TABLE org_imports (
    import_id  INTEGER PRIMARY KEY,
    as_of      DATE NOT NULL,
    kind       VARCHAR NOT NULL,     -- people, org, backstage, codeowners, identities
    file       VARCHAR NOT NULL,
    rows       INTEGER NOT NULL,
    skipped    INTEGER NOT NULL,
    source     VARCHAR NOT NULL,
    loaded_at  TIMESTAMPTZ NOT NULL
);

-- what the files said, one snapshot per date -----------------------------------------------

CREATE TABLE people_snapshots (
    as_of           DATE NOT NULL,
    person_id       VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    email           VARCHAR,
    emails          VARCHAR[],
    title           VARCHAR,
    level           VARCHAR,
    role            VARCHAR,
    manager_id      VARCHAR,
    team_id         VARCHAR,             -- resolved team id (the file may give a name or alias)
    location        VARCHAR,
    employment_type VARCHAR,
    start_date      DATE,
    end_date        DATE,
    annual_cost     DECIMAL(14, 2),
    regretted       BOOLEAN,
    github_login    VARCHAR,
    file            VARCHAR NOT NULL,
    line            INTEGER NOT NULL,
    source          VARCHAR NOT NULL,
    loaded_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE team_snapshots (
    as_of      DATE NOT NULL,
    kind       VARCHAR NOT NULL,         -- org (YAML) or backstage; org wins on conflicts
    team_id    VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    parent_id  VARCHAR,
    type       VARCHAR,
    manager_id VARCHAR,                  -- a person id
    aliases    VARCHAR[] NOT NULL,
    members    VARCHAR[] NOT NULL,       -- person ids or e-mails listed under the team
    source     VARCHAR NOT NULL,
    loaded_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE service_snapshots (
    as_of         DATE NOT NULL,
    kind          VARCHAR NOT NULL,
    service_id    VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    service_kind  VARCHAR NOT NULL,      -- service, Component, System, API
    owner         VARCHAR,               -- the owner as written
    owner_team_id VARCHAR,               -- resolved, NULL when no team matches
    repositories  VARCHAR[] NOT NULL,
    source        VARCHAR NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE catalog_users (
    as_of     DATE NOT NULL,
    user_id   VARCHAR NOT NULL,          -- Backstage metadata.name
    name      VARCHAR,
    email     VARCHAR,
    member_of VARCHAR[] NOT NULL,
    source    VARCHAR NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE codeowners_rules (
    repository_id INTEGER,               -- NULL when the file was given for a repository not ingested
    repository    VARCHAR NOT NULL,      -- the repository's name
    file          VARCHAR NOT NULL,
    line          INTEGER NOT NULL,
    pattern       VARCHAR NOT NULL,
    owners        VARCHAR[] NOT NULL,
    source        VARCHAR NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE identity_mappings (
    identity  VARCHAR NOT NULL,          -- an e-mail, or a git identity id
    person_id VARCHAR NOT NULL,
    file      VARCHAR NOT NULL,
    line      INTEGER NOT NULL,
    source    VARCHAR NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL
);

-- history derived from the snapshots (rebuilt after every import) ----------------------------

CREATE TABLE people (
    person_id    VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,       -- as in the latest snapshot
    email        VARCHAR,
    github_login VARCHAR,
    first_seen   DATE NOT NULL,
    last_seen    DATE NOT NULL,
    source       VARCHAR NOT NULL,
    loaded_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE person_emails (
    person_id VARCHAR NOT NULL,
    email     VARCHAR NOT NULL           -- lower-case; every address any snapshot gave
);

-- One row per stretch of employment during which nothing below changed.
CREATE TABLE person_periods (
    person_id       VARCHAR NOT NULL,
    valid_from      DATE NOT NULL,
    valid_to        DATE,                -- exclusive; NULL: still employed so
    team_id         VARCHAR,
    manager_id      VARCHAR,
    title           VARCHAR,
    level           VARCHAR,
    role            VARCHAR,
    location        VARCHAR,
    employment_type VARCHAR,
    annual_cost     DECIMAL(14, 2),
    start_date      DATE NOT NULL,       -- first day of this spell of employment
    leaves          BOOLEAN NOT NULL,    -- the spell of employment ends with this period
    regretted       BOOLEAN,             -- for a period that ends in leaving
    end_inferred    BOOLEAN NOT NULL,    -- the end date was not exported: first snapshot without them
    source          VARCHAR NOT NULL,
    loaded_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE teams (
    team_id   VARCHAR PRIMARY KEY,
    name      VARCHAR NOT NULL,          -- as last defined
    source    VARCHAR NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE team_periods (
    team_id    VARCHAR NOT NULL,
    valid_from DATE,                     -- NULL: since before the first snapshot
    valid_to   DATE,
    name       VARCHAR NOT NULL,
    parent_id  VARCHAR,
    type       VARCHAR,
    manager_id VARCHAR,
    source     VARCHAR NOT NULL,
    loaded_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE team_aliases (
    team_id VARCHAR NOT NULL,
    alias   VARCHAR NOT NULL             -- lower-case: ids, names and aliases ever given
);

CREATE TABLE services (
    service_id   VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,
    service_kind VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    loaded_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE service_periods (
    service_id    VARCHAR NOT NULL,
    valid_from    DATE,
    valid_to      DATE,
    owner         VARCHAR,
    owner_team_id VARCHAR,
    repositories  VARCHAR[] NOT NULL,
    source        VARCHAR NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL
);

-- Which person each identity is (rebuilt after every org and git import).
CREATE TABLE identity_links (
    identity_id VARCHAR PRIMARY KEY,
    person_id   VARCHAR NOT NULL,
    method      VARCHAR NOT NULL,        -- mapping, email, name
    confidence  DOUBLE NOT NULL,         -- 1.0 for mapping and e-mail; below 1 for names (review)
    source      VARCHAR NOT NULL,
    loaded_at   TIMESTAMPTZ NOT NULL
);

-- Which team owns which file at the tip of each repository (from CODEOWNERS).
CREATE TABLE file_owners (
    repository_id INTEGER NOT NULL,
    path          VARCHAR NOT NULL,
    rule_line     INTEGER NOT NULL,
    team_id       VARCHAR,               -- NULL when the rule's owners match no team
    source        VARCHAR NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL
);
