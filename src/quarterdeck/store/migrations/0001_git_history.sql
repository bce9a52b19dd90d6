-- Git history: repositories, commits, changed files, identities and ingestion state.
-- Every table records where a row came from (source) and when it was loaded (loaded_at).

CREATE TABLE repositories (
    repository_id    INTEGER PRIMARY KEY,
    name             VARCHAR NOT NULL UNIQUE,   -- short display name, unique in the warehouse
    path             VARCHAR NOT NULL UNIQUE,   -- canonical path of the git directory
    work_tree        VARCHAR,                   -- NULL for bare repositories
    remote_url       VARCHAR,                   -- url of remote 'origin', when configured
    default_branch   VARCHAR,                   -- the branch HEAD points at
    head_sha         VARCHAR,                   -- commit at the tip of the default branch
    is_shallow       BOOLEAN NOT NULL DEFAULT false,
    is_partial       BOOLEAN NOT NULL DEFAULT false,
    ref_patterns     VARCHAR[] NOT NULL,        -- refs whose history was ingested
    mailmap_digest   VARCHAR,                   -- fingerprint of the .mailmap in force
    missing_blobs    INTEGER NOT NULL DEFAULT 0,
    last_ingested_at TIMESTAMPTZ,
    source           VARCHAR NOT NULL,
    loaded_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE commits (
    repository_id                INTEGER NOT NULL,
    sha                          VARCHAR NOT NULL,
    parents                      VARCHAR[] NOT NULL,
    author_name                  VARCHAR NOT NULL,  -- as written in the commit
    author_email                 VARCHAR NOT NULL,
    author_time                  TIMESTAMPTZ NOT NULL,
    author_utc_offset_minutes    SMALLINT NOT NULL,
    committer_name               VARCHAR NOT NULL,
    committer_email              VARCHAR NOT NULL,
    committer_time               TIMESTAMPTZ NOT NULL,
    committer_utc_offset_minutes SMALLINT NOT NULL,
    author_mailmap_name          VARCHAR NOT NULL,  -- the author's name after .mailmap
    author_identity_id           VARCHAR NOT NULL,  -- identities.identity_id, after .mailmap
    committer_mailmap_name       VARCHAR NOT NULL,
    committer_identity_id        VARCHAR NOT NULL,
    subject                      VARCHAR NOT NULL,
    is_merge                     BOOLEAN NOT NULL,
    is_shallow_boundary          BOOLEAN NOT NULL,  -- parents not in this (shallow) clone
    reachable                    BOOLEAN NOT NULL DEFAULT true,  -- false once no ingested ref reaches it
    source                       VARCHAR NOT NULL,
    loaded_at                    TIMESTAMPTZ NOT NULL
    -- (repository_id, sha) is unique: commits already stored are never read again. There is
    -- no PRIMARY KEY index: it made batch inserts 60% slower. Tests and
    -- scripts/verify_git_ingest.py check uniqueness.
);

CREATE TABLE commit_files (
    repository_id  INTEGER NOT NULL,
    commit_sha     VARCHAR NOT NULL,
    path           VARCHAR NOT NULL,
    previous_path  VARCHAR,              -- set when git detected a rename
    lines_added    INTEGER,              -- NULL for binary files and missing blobs
    lines_deleted  INTEGER,
    is_binary      BOOLEAN NOT NULL,
    blob_missing   BOOLEAN NOT NULL,     -- a blob of this change is absent (partial clone)
    source         VARCHAR NOT NULL,
    loaded_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE identities (
    identity_id  VARCHAR PRIMARY KEY,    -- 'git:' || lower(email after .mailmap)
    kind         VARCHAR NOT NULL,       -- 'git'
    email        VARCHAR NOT NULL,       -- lower-case, after .mailmap ('' when commits have none)
    name         VARCHAR NOT NULL,       -- name (after .mailmap) on its most recent commit
    name_seen_at TIMESTAMPTZ NOT NULL,
    is_bot       BOOLEAN NOT NULL,
    bot_rule     VARCHAR,                -- the pattern that flagged it
    source       VARCHAR NOT NULL,
    loaded_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE git_refs (
    repository_id INTEGER NOT NULL,
    ref_name      VARCHAR NOT NULL,
    commit_sha    VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (repository_id, ref_name)
);

CREATE TABLE repository_files (
    repository_id   INTEGER NOT NULL,
    path            VARCHAR NOT NULL,
    blob_sha        VARCHAR NOT NULL,
    size_bytes      BIGINT,
    lines           INTEGER,             -- NULL for binary files and missing blobs
    is_binary       BOOLEAN NOT NULL,
    blob_missing    BOOLEAN NOT NULL,
    last_commit_sha VARCHAR,             -- last commit on the default branch that changed it
    last_changed_at TIMESTAMPTZ,         -- commit time of that commit (when the change landed)
    source          VARCHAR NOT NULL,
    loaded_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (repository_id, path)
);

CREATE TABLE git_missing_blobs (
    repository_id INTEGER NOT NULL,
    commit_sha    VARCHAR NOT NULL,
    path          VARCHAR NOT NULL,
    blob_sha      VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE ingestion_runs (
    run_id        INTEGER PRIMARY KEY,
    kind          VARCHAR NOT NULL,      -- 'git'
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    status        VARCHAR NOT NULL,      -- 'running', 'succeeded', 'partial', 'failed'
    repositories  INTEGER,
    commits_added BIGINT,
    files_added   BIGINT,
    failures      VARCHAR[],
    source        VARCHAR NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL
);
