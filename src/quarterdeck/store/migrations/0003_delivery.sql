-- Delivery and reliability: deployments, incidents, CI runs, availability and SLOs, as
-- imported from files (quarterdeck ingest deployments|incidents|ci-runs|availability|slos)
-- or pushed to the event endpoints of quarterdeck serve; and what links them to git.
--
-- Event tables have no PRIMARY KEY index (it makes bulk loads of millions of rows slow);
-- the import keeps their keys unique: a row whose key is already stored with the same
-- content is left alone, one with other content replaces it.

-- One row per (deployment, repository): a pipeline that deploys several repositories is one
-- deployment (one id) with a row per repository; finished_at of the deployment is the latest.
CREATE TABLE deployments (
    deployment_id   VARCHAR NOT NULL,
    repository      VARCHAR NOT NULL,      -- as given ('' when the row names none)
    service         VARCHAR NOT NULL,      -- the org model's service id when known, else as given
    environment     VARCHAR NOT NULL,      -- lower-case, as given
    is_production   BOOLEAN NOT NULL,      -- environment is one of delivery.production_environments
    commit_sha      VARCHAR NOT NULL,      -- lower-case
    started_at      TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ NOT NULL,
    result          VARCHAR NOT NULL,      -- success, failure, cancelled
    shipped_commits VARCHAR[],             -- as given by the source (NULL: derive from git)
    content_hash    UBIGINT NOT NULL,      -- of the row's values: a re-sent row that differs replaces the old
    source          VARCHAR NOT NULL,      -- the file, or 'event:<endpoint>'
    source_record   INTEGER,               -- record number in that file (1 = the first record)
    loaded_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE incidents (
    incident_id     VARCHAR NOT NULL,
    service         VARCHAR,               -- NULL: the source named none (reported by data-quality)
    severity        VARCHAR,               -- as given
    severity_rank   INTEGER,               -- 1 most severe (sev1, p1, critical) ... 5; NULL unknown
    created_at      TIMESTAMPTZ NOT NULL,
    acknowledged_at TIMESTAMPTZ,
    resolved_at     TIMESTAMPTZ,           -- NULL: still open
    deployment_id   VARCHAR,               -- an explicit link given by the source
    root_cause_sha  VARCHAR,
    title           VARCHAR,
    content_hash    UBIGINT NOT NULL,
    source          VARCHAR NOT NULL,
    source_record   INTEGER,
    loaded_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE ci_runs (
    run_id       VARCHAR NOT NULL,
    repository   VARCHAR NOT NULL,
    workflow     VARCHAR NOT NULL,
    commit_sha   VARCHAR,
    queued_at    TIMESTAMPTZ,
    started_at   TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ,
    result       VARCHAR NOT NULL,         -- success, failure, cancelled, skipped
    content_hash UBIGINT NOT NULL,
    source       VARCHAR NOT NULL,
    source_record INTEGER,
    loaded_at    TIMESTAMPTZ NOT NULL
);

-- Availability as good/total per window. Event counts are stored as given (kind 'events');
-- probe intervals (kind 'probes') as seconds: total = the interval's length, good = total
-- when the probe said up, else 0.
CREATE TABLE availability_windows (
    service      VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,         -- events, probes
    window_start TIMESTAMPTZ NOT NULL,
    window_end   TIMESTAMPTZ NOT NULL,
    good         DOUBLE NOT NULL,
    total        DOUBLE NOT NULL,
    source       VARCHAR NOT NULL,
    source_record INTEGER,
    loaded_at    TIMESTAMPTZ NOT NULL
    -- (service, kind, window_start) is unique
);

CREATE TABLE slos (
    slo_id           VARCHAR NOT NULL,     -- unique
    service          VARCHAR NOT NULL,
    display_name     VARCHAR,
    description      VARCHAR,
    target           DOUBLE NOT NULL,      -- a ratio: 0.999
    time_window      VARCHAR NOT NULL,     -- as given: 28d, 4w, 1M (calendar month), 1Q
    window_days      INTEGER NOT NULL,     -- its length in days (a calendar month: 30 here)
    rolling          BOOLEAN NOT NULL,     -- rolling window, else calendar-aligned
    budgeting_method VARCHAR NOT NULL,     -- Occurrences, Timeslices
    content_hash     UBIGINT NOT NULL,
    source           VARCHAR NOT NULL,
    source_record    INTEGER,
    loaded_at        TIMESTAMPTZ NOT NULL
);

-- Every row an import or an event endpoint could not take, or took with a remark
-- (a duplicate in the same file, a corrected row that replaced an older one).
CREATE TABLE delivery_import_problems (
    kind        VARCHAR NOT NULL,          -- deployments, incidents, ci_runs, availability, slos
    source      VARCHAR NOT NULL,
    source_line INTEGER,                   -- line (CSV, NDJSON), record (JSON, events), document (YAML)
    record_id   VARCHAR,
    field       VARCHAR,
    problem     VARCHAR NOT NULL,
    outcome     VARCHAR NOT NULL,          -- rejected, duplicate, replaced
    loaded_at   TIMESTAMPTZ NOT NULL
);

-- What links deployments, changes and incidents (rebuilt after every delivery or git import).
-- deployment_commits: the commits each successful deployment shipped: reachable from its
-- commit and not from the previous successful deployment of the same service, environment
-- and repository ('graph'), or as the source listed them ('given'). on_first_parent marks the
-- commits that landed on the deployed line (merges, squashes, direct pushes).
CREATE TABLE deployment_commits (
    deployment_id   VARCHAR NOT NULL,
    repository_id   INTEGER NOT NULL,
    sha             VARCHAR NOT NULL,
    how             VARCHAR NOT NULL,      -- graph, given
    on_first_parent BOOLEAN NOT NULL
);

-- The pairs of commits walked to find what a deployment shipped (deployment_commits): a
-- pair is walked again only when it changes, or when git did not know both commits then.
CREATE TABLE deployment_walks (
    deployment_id       VARCHAR NOT NULL,
    repository_id       INTEGER NOT NULL,
    commit_sha          VARCHAR NOT NULL,
    previous_commit_sha VARCHAR,           -- NULL: the first deployment of its chain (a baseline)
    complete            BOOLEAN NOT NULL   -- git knew both commits when the pair was walked
);

-- Each change (commit) -> the first successful production deployment that shipped it.
CREATE TABLE change_deployments (
    repository_id INTEGER NOT NULL,
    sha           VARCHAR NOT NULL,
    deployment_id VARCHAR NOT NULL,
    deployed_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (repository_id, sha)
);

-- Each incident -> the deployment it is attributed to, and how.
CREATE TABLE incident_deployments (
    incident_id   VARCHAR PRIMARY KEY,
    deployment_id VARCHAR NOT NULL,
    link          VARCHAR NOT NULL         -- explicit, root_cause, inferred
);
