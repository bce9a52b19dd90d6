-- What the API connectors read beyond pull requests and reviews (quarterdeck ingest
-- github|gitlab|jira|jenkins|pagerduty|opsgenie|prometheus): the rest of a change's life,
-- CI jobs, issues and their status history, releases, incident timelines, and the records a
-- source sent that could not be stored.
--
-- ``source`` is the kind of system (github, gitlab, jira, jenkins, pagerduty, opsgenie,
-- prometheus), never a configured connection's name: a repository reached through two
-- configured connections is one repository. Deployments, incidents, CI runs and availability
-- from APIs go into the tables of 0003, through the same loader and checks as files.

CREATE TABLE pr_commits (
    source       VARCHAR NOT NULL,
    repository   VARCHAR NOT NULL,
    number       INTEGER NOT NULL,         -- the pull (merge) request's
    sha          VARCHAR NOT NULL,         -- lower-case
    author_login VARCHAR,                  -- the host account, when the host knows it
    author_email VARCHAR,                  -- lower-case
    authored_at  TIMESTAMPTZ,
    committed_at TIMESTAMPTZ,
    loaded_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, repository, number, sha)
);

-- The timeline of a pull request: review_requested, review_request_removed, ready_for_review,
-- convert_to_draft, merged, closed, reopened, ... (GitHub issue events; GitLab system notes).
CREATE TABLE pr_events (
    source             VARCHAR NOT NULL,
    repository         VARCHAR NOT NULL,
    number             INTEGER NOT NULL,
    event_id           VARCHAR NOT NULL,
    event              VARCHAR NOT NULL,   -- lower-case, as the host names it
    actor_login        VARCHAR,
    requested_reviewer VARCHAR,            -- review_requested: the account (or team:slug)
    created_at         TIMESTAMPTZ NOT NULL,
    loaded_at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, repository, event_id)
);

-- Review comments (GitHub) and merge-request notes by people (GitLab).
CREATE TABLE pr_comments (
    source       VARCHAR NOT NULL,
    repository   VARCHAR NOT NULL,
    number       INTEGER NOT NULL,
    comment_id   VARCHAR NOT NULL,
    author_login VARCHAR,
    review_id    VARCHAR,                  -- the review it belongs to, when it does
    created_at   TIMESTAMPTZ NOT NULL,
    loaded_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, repository, comment_id)
);

-- The jobs (GitHub Actions jobs, GitLab jobs, Jenkins stages) of a CI run (ci_runs.run_id).
CREATE TABLE ci_jobs (
    source      VARCHAR NOT NULL,
    job_id      VARCHAR NOT NULL,          -- unique within the source, e.g. github:owner/name:job:123
    run_id      VARCHAR NOT NULL,          -- ci_runs.run_id
    repository  VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    queued_at   TIMESTAMPTZ,               -- NULL when the source does not say
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    result      VARCHAR NOT NULL,          -- success, failure, cancelled, skipped
    runner      VARCHAR,                   -- runner, agent or node name
    loaded_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, job_id)
);

-- Issues of trackers (Jira, GitHub, GitLab). Pull requests GitHub lists as issues are not here.
CREATE TABLE issues (
    source          VARCHAR NOT NULL,
    issue_id        VARCHAR NOT NULL,      -- the tracker's id (Jira: numeric id; GitHub: owner/name#number)
    issue_key       VARCHAR NOT NULL,      -- what people call it: ENG-42, owner/name#7
    project         VARCHAR NOT NULL,      -- Jira project key, owner/name
    title           VARCHAR,
    issue_type      VARCHAR,               -- as the tracker names it (Bug, Story, 子任务 ...)
    issue_type_id   VARCHAR,
    is_bug          BOOLEAN,               -- by type id/name or label, not by localised name alone
    priority        VARCHAR,
    status          VARCHAR,               -- as named
    status_category VARCHAR,               -- todo, in_progress, done (Jira statusCategory; open/closed elsewhere)
    labels          VARCHAR[],
    assignee        VARCHAR,               -- account id or login
    reporter        VARCHAR,
    parent_key      VARCHAR,
    sprint_id       VARCHAR,               -- the latest sprint, when any
    story_points    DOUBLE,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    resolved_at     TIMESTAMPTZ,
    loaded_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, issue_id)
);

-- Each change of an issue's status (Jira changelog items with field = status; GitHub
-- closed/reopened events), oldest first.
CREATE TABLE issue_transitions (
    source        VARCHAR NOT NULL,
    issue_id      VARCHAR NOT NULL,
    transition_id VARCHAR NOT NULL,        -- unique within the issue (changelog id + item number)
    changed_at    TIMESTAMPTZ NOT NULL,
    author        VARCHAR,
    from_status   VARCHAR,
    to_status     VARCHAR,
    from_status_id VARCHAR,
    to_status_id  VARCHAR,
    loaded_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, issue_id, transition_id)
);

-- Jira statuses: their category, so that metrics map by id and not by localised name.
CREATE TABLE issue_statuses (
    source          VARCHAR NOT NULL,
    status_id       VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    status_category VARCHAR NOT NULL,      -- todo, in_progress, done
    loaded_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, status_id)
);

CREATE TABLE sprints (
    source       VARCHAR NOT NULL,
    sprint_id    VARCHAR NOT NULL,
    board_id     VARCHAR,
    name         VARCHAR NOT NULL,
    state        VARCHAR,                  -- future, active, closed
    started_at   TIMESTAMPTZ,
    ended_at     TIMESTAMPTZ,              -- planned end
    completed_at TIMESTAMPTZ,
    loaded_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, sprint_id)
);

CREATE TABLE releases (
    source        VARCHAR NOT NULL,
    repository    VARCHAR NOT NULL,
    release_id    VARCHAR NOT NULL,
    tag           VARCHAR NOT NULL,
    name          VARCHAR,
    is_draft      BOOLEAN,
    is_prerelease BOOLEAN,
    author_login  VARCHAR,
    created_at    TIMESTAMPTZ NOT NULL,
    published_at  TIMESTAMPTZ,
    loaded_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, repository, release_id)
);

-- What happened during an incident (PagerDuty log entries, Opsgenie timeline entries).
CREATE TABLE incident_events (
    source      VARCHAR NOT NULL,
    incident_id VARCHAR NOT NULL,          -- incidents.incident_id
    event_id    VARCHAR NOT NULL,
    happened_at TIMESTAMPTZ NOT NULL,
    kind        VARCHAR NOT NULL,          -- trigger, acknowledge, assign, escalate, notify, annotate, resolve, ...
    actor       VARCHAR,
    summary     VARCHAR,
    loaded_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, incident_id, event_id)
);

-- Records a source sent that could not be stored (malformed, missing fields, unknown
-- values). Kept until a later sync of the same source, scope and resource stores them.
CREATE TABLE source_problems (
    source    VARCHAR NOT NULL,
    scope     VARCHAR NOT NULL,            -- repository, project, service ...
    resource  VARCHAR NOT NULL,            -- pull_requests, issues, incidents ...
    record_id VARCHAR NOT NULL,            -- the source's id of the record ('' when it had none)
    problem   VARCHAR NOT NULL,
    seen_at   TIMESTAMPTZ NOT NULL
);
