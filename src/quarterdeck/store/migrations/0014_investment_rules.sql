-- Money (docs/sources/investment-rules.md, docs/investment-allocation.md): the investment
-- rules file, stored so that the allocation metrics apply it in SQL (and --explain shows
-- every step). A rules file is the whole truth: importing one replaces every stored rule,
-- category and objective of the source.
--
-- investment_categories: the categories effort is put in, in the file's order; category is
-- the key rules name, name what the figures show. 'uncategorized' is always there (what no
-- rule matches), last.
CREATE TABLE investment_categories (
    category  VARCHAR NOT NULL,            -- key: new_capability, keep_the_lights_on, ...
    name      VARCHAR NOT NULL,            -- as shown: New capability
    position  INTEGER NOT NULL,            -- the file's order (uncategorized last)
    file      VARCHAR NOT NULL,
    line      INTEGER NOT NULL,            -- 0: a default, not written in the file
    source    VARCHAR NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (category)
);

-- investment_rules: a work item takes the category of the first rule (lowest position) all
-- of whose fields match it; a field lists values (lower-case), any of which matches; NULL:
-- the rule does not look at that field. issue_types: the tracker's issue type; labels: any
-- of the issue's labels; epics: the issue itself, its parent or its parent's parent;
-- projects: the issue's project (Jira key, owner/name); repositories: a pull request's
-- repository (owner/name), a tracker issue's project on GitHub and GitLab, or a git
-- repository's name (commits that belong to no pull request).
CREATE TABLE investment_rules (
    position     INTEGER NOT NULL,         -- 1, 2, ... in the file's order: the first match wins
    category     VARCHAR NOT NULL,         -- investment_categories.category
    issue_types  VARCHAR[],
    labels       VARCHAR[],
    epics        VARCHAR[],
    projects     VARCHAR[],
    repositories VARCHAR[],
    file         VARCHAR NOT NULL,
    line         INTEGER NOT NULL,
    source       VARCHAR NOT NULL,
    loaded_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (position)
);

-- investment_objectives: which objective each epic serves (an epic serves at most one).
CREATE TABLE investment_objectives (
    epic      VARCHAR NOT NULL,            -- the epic's key as written (matched in any case)
    objective VARCHAR NOT NULL,            -- key: grow-payments
    name      VARCHAR NOT NULL,            -- as shown: Grow payments revenue
    file      VARCHAR NOT NULL,
    line      INTEGER NOT NULL,
    source    VARCHAR NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (epic)
);
