-- Pull requests and their reviews from code hosts (quarterdeck ingest github), and the
-- cursors of incremental API syncs.

CREATE TABLE pull_requests (
    source           VARCHAR NOT NULL,     -- github (the host's API, base URL in repository_url)
    repository       VARCHAR NOT NULL,     -- owner/name on that host
    number           INTEGER NOT NULL,
    pr_id            VARCHAR NOT NULL,     -- the host's id
    title            VARCHAR,
    author_login     VARCHAR,
    state            VARCHAR NOT NULL,     -- open, closed (merged: merged_at is set)
    is_draft         BOOLEAN,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    closed_at        TIMESTAMPTZ,
    merged_at        TIMESTAMPTZ,
    merge_commit_sha VARCHAR,
    head_sha         VARCHAR,
    head_ref         VARCHAR,
    base_ref         VARCHAR,
    repository_url   VARCHAR NOT NULL,     -- the API address it was read from
    loaded_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, repository, number)
);

CREATE TABLE pr_reviews (
    source         VARCHAR NOT NULL,
    repository     VARCHAR NOT NULL,
    number         INTEGER NOT NULL,       -- the pull request's
    review_id      VARCHAR NOT NULL,
    reviewer_login VARCHAR,
    state          VARCHAR NOT NULL,       -- APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
    submitted_at   TIMESTAMPTZ,            -- NULL while pending
    commit_sha     VARCHAR,
    loaded_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, repository, review_id)
);

-- How far each incremental sync has read: written in the same transaction as the data it
-- describes, so it never runs ahead of what was stored.
CREATE TABLE source_cursors (
    source      VARCHAR NOT NULL,
    scope       VARCHAR NOT NULL,          -- e.g. the repository
    resource    VARCHAR NOT NULL,          -- e.g. pull_requests
    cursor      VARCHAR NOT NULL,          -- e.g. the latest updated_at read
    advanced_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, scope, resource)
);
