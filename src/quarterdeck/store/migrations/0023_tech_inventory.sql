-- Tech-stack inventory (docs/tech-stack.md): what each repository is built with, read from its
-- files at HEAD during `quarterdeck ingest git` (languages, dependency manifests and lock
-- files, frameworks, CI and container files, licences). Every table is replaced whole for a
-- repository when its HEAD changed; stack_repositories says which HEAD the rows were read at.

-- stack_repositories: one row per repository whose inventory was read, at head_sha.
CREATE TABLE stack_repositories (
    repository_id INTEGER PRIMARY KEY,
    head_sha      VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL
);

-- stack_languages: lines and files per language at HEAD (by extension or name, and by the
-- shebang of files without an extension; vendored folders, binary files, data and prose
-- files are not counted).
CREATE TABLE stack_languages (
    repository_id INTEGER NOT NULL,
    language      VARCHAR NOT NULL,
    files         INTEGER NOT NULL,
    lines         BIGINT NOT NULL,
    source        VARCHAR NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (repository_id, language)
);

-- stack_dependencies: each dependency a manifest declares. declared: the version requirement
-- as written (NULL: none); resolved: the version the nearest lock file pins (NULL: no lock
-- file, or it does not list the dependency); scope: runtime or dev. licence: the SPDX id the
-- repository itself gives for it (an SBOM, vendored package metadata), NULL: unknown.
CREATE TABLE stack_dependencies (
    repository_id  INTEGER NOT NULL,
    ecosystem      VARCHAR NOT NULL,   -- python, javascript, go, java, ruby, rust, dotnet
    manifest       VARCHAR NOT NULL,   -- the manifest's path
    name           VARCHAR NOT NULL,
    declared       VARCHAR,
    resolved       VARCHAR,
    scope          VARCHAR NOT NULL,
    lock_file      VARCHAR,
    licence        VARCHAR,
    licence_source VARCHAR,
    source         VARCHAR NOT NULL,
    loaded_at      TIMESTAMPTZ NOT NULL,
    CHECK (scope IN ('runtime', 'dev'))
);

-- stack_frameworks: frameworks told from dependencies by a rule table (or a project SDK),
-- one row per manifest and framework.
CREATE TABLE stack_frameworks (
    repository_id INTEGER NOT NULL,
    framework     VARCHAR NOT NULL,
    ecosystem     VARCHAR NOT NULL,
    manifest      VARCHAR NOT NULL,
    dependency    VARCHAR NOT NULL,
    version       VARCHAR,
    source        VARCHAR NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL
);

-- stack_files: CI, container, manifest, lock, SBOM and licence files, and what each is.
CREATE TABLE stack_files (
    repository_id INTEGER NOT NULL,
    path          VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,    -- ci, container, manifest, lock, sbom, licence
    tool          VARCHAR NOT NULL,    -- github-actions, dockerfile, helm, python, MIT...
    source        VARCHAR NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL
);

-- stack_licences: the repository's own licences: licence files told to SPDX ids by key
-- phrases ('unknown' when none matches) and licences its manifests declare.
CREATE TABLE stack_licences (
    repository_id INTEGER NOT NULL,
    path          VARCHAR NOT NULL,
    licence       VARCHAR NOT NULL,
    origin        VARCHAR NOT NULL,    -- file or manifest
    source        VARCHAR NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL
);

-- stack_unreadable: manifests, lock files and SBOMs that could not be read, and why.
CREATE TABLE stack_unreadable (
    repository_id INTEGER NOT NULL,
    path          VARCHAR NOT NULL,
    reason        VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL
);
