"""The R&D capitalization policy: which investment categories and phases of work may be
capitalized (ASC 350-40 / IAS 38 style), how a work item's phase is known, what a project
is. The file is the whole policy: importing one replaces the stored one."""

from quarterdeck.sources.frame import Resource, Scope, Source

SOURCE = Source(
    name="capitalization-policy",
    title="Capitalization policy",
    kind="file",
    summary="Ingest the R&D capitalization policy: capitalizable categories and phases (YAML).",
    reader="quarterdeck.sources.capitalization_policy.reader:read_capitalization_policy",
    scope=Scope("files", "a file", "a path such as capitalization-policy.yaml", lambda entry: isinstance(entry, str)),
    resources=(
        Resource("capitalization policy", "capitalization_policy", "none: a file replaces the stored policy"),
        Resource("capitalization phases", "capitalization_phases", "none: a file replaces the stored phase rules"),
    ),
    description=(
        "A YAML file: 'capitalizable' (the investment categories, keys of the investment rules, "
        "and the phases, default [development], whose effort may be capitalized), 'phases' (rules "
        "giving a work item's phase: preliminary, development or post_implementation, by "
        "issue_type, labels, epic or project; the first match wins), 'default_phase' (default "
        "development) and 'project' (epic or objective). A file with any problem is refused "
        "whole, naming each file:line; the stored policy stays."
    ),
    examples=("quarterdeck ingest capitalization-policy capitalization-policy.yaml",),
    docs="docs/capitalization.md",
)
