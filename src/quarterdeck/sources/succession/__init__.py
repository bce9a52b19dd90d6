"""A succession file: who could take each key role, and how soon (role, successor,
readiness, date). Read by ``quarterdeck succession`` (docs/succession.md)."""

from quarterdeck.sources.frame import MAPPING_FLAG, Resource, Scope, Source, mapping_option

SOURCE = Source(
    name="succession",
    kind="file",
    summary="Ingest a succession file (role, successor, readiness, date) for the succession findings.",
    reader="quarterdeck.sources.succession.reader:read_succession",
    scope=Scope("files", "a file", "a path such as succession.csv", lambda entry: isinstance(entry, str)),
    options=(mapping_option("succession-mapping.yaml", "role, successor, readiness, date"),),
    resources=(Resource("succession", "successors", "none: a file replaces what it stored before"),),
    flags=(MAPPING_FLAG,),
    description=(
        "Each line (CSV, or an item of a YAML file's successors: list) names a successor for a "
        "role as of a date. The role is a leadership seat, named by the person holding it (a "
        "person id, e-mail or unique name), or a service (its id or name); the successor is a "
        "person of the organization employed on the date, never the role's own holder. "
        "Readiness is ready now, 1-2 years or 3+ years. A later date holds from then on. A "
        "file with any bad line is refused whole, naming each file:line. Importing a file "
        "again replaces what it stored before."
    ),
    examples=(
        "quarterdeck ingest succession succession.csv",
        "quarterdeck ingest succession succession.yaml",
        "quarterdeck ingest succession talent-review.csv --mapping succession-mapping.yaml",
    ),
    docs="docs/sources/succession.md",
)
