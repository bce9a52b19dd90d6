"""Jenkins: finished builds as CI runs (with queue time), and pipeline stages as CI jobs
(docs/sources/jenkins.md). The API calls are in ``api``, the incremental reading in ``reader``."""

from quarterdeck.sources.frame import (
    Flag,
    IdentityHint,
    Option,
    Resource,
    Scope,
    Source,
    env_name,
    is_bool,
    whole_number,
)

SOURCE = Source(
    name="jenkins",
    kind="api",
    summary="Ingest Jenkins builds as CI runs, and the stages of pipeline builds.",
    reader="quarterdeck.sources.jenkins.reader:read_jenkins",
    scope=Scope("jobs", "a job", "its full name, such as team/api or team/api/main, or {job: NAME, repository: NAME}"),
    token_env="JENKINS_TOKEN",
    options=(
        Option(
            "user_env",
            "JENKINS_USER",
            "an environment variable's name, such as JENKINS_USER",
            env_name,
            "the environment variable holding the Jenkins user the token belongs to",
        ),
        Option(
            "page_size", 100, "a whole number of builds, such as 100", whole_number(1), "builds asked for per request"
        ),
        Option("stages", True, "true or false", is_bool, "read the stages of pipeline builds"),
    ),
    resources=(
        Resource("builds", "ci_runs", "the highest build number stored with every build below it"),
        Resource("stages", "ci_jobs", "read with their build, once"),
    ),
    identities=IdentityHint(),
    flags=(
        Flag(
            "--base-url",
            "Address of the Jenkins instance, such as https://ci.example.com (with its path, if it has one).",
            "base_url",
            metavar="URL",
            required=True,
        ),
        Flag(
            "--job",
            "A job's full name, as in its URL without the /job/ parts: team/api, or a multibranch "
            "pipeline team/api (all its branches) or one branch team/api/main (repeatable).",
            "scope",
            metavar="NAME",
            multiple=True,
            required=True,
        ),
        Flag(
            "--repository",
            "The repository the builds belong to (default: the job's last name; for a branch of a "
            "multibranch pipeline, the pipeline's).",
            "scope_field:repository",
            metavar="NAME",
        ),
    ),
    scope_field="job",
    description="""Each finished build becomes a CI run: when it was queued (from the Metrics plugin's
time in queue, when installed; otherwise unknown), started and finished, its result
(SUCCESS success; FAILURE and UNSTABLE failure; ABORTED cancelled; NOT_BUILT skipped)
and the commit the git plugin built. Stages of pipeline builds (Pipeline Stage View
plugin) become CI jobs. Builds still running are read again by the next run.

Authentication is HTTP basic with a user and an API token taken from the environment:
JENKINS_USER and JENKINS_TOKEN (never from a file, never stored). Runs are incremental:
each reads only builds newer than those already stored. To read several instances or
set options (user_env, page_size, stages), list them in quarterdeck.yaml and run
`quarterdeck ingest all` (see docs/sources/jenkins.md).""",
    examples=(
        "JENKINS_USER=me JENKINS_TOKEN=... quarterdeck ingest jenkins \\\n"
        "    --base-url https://ci.example.com --job team/api --job team/web",
        "quarterdeck ingest jenkins --base-url https://ci.example.com --job team/api-pipeline --since 2025-01-01",
    ),
    docs="docs/sources/jenkins.md",
)
