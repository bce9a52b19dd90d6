"""Competency assessments against the career ladder: person, competency, rating on the
ladder's scale, date, assessor. Read by promotion readiness (docs/ladders.md)."""

from quarterdeck.sources.frame import MAPPING_FLAG, Resource, Scope, Source, mapping_option

SOURCE = Source(
    name="assessments",
    kind="file",
    summary="Ingest competency assessments (person, competency, rating, date, assessor) for readiness.",
    reader="quarterdeck.sources.assessments.reader:read_assessments",
    scope=Scope("files", "a file", "a path such as assessments.csv", lambda entry: isinstance(entry, str)),
    options=(mapping_option("assessments-mapping.yaml", "person, competency, rating, date, assessor"),),
    resources=(Resource("assessments", "assessments", "none: a file replaces what it stored before"),),
    flags=(MAPPING_FLAG,),
    description=(
        "Each CSV line rates a person in a competency of the career ladder (the imported one, "
        "else the built-in one: quarterdeck ladder show) as of a date, by an assessor. The "
        "person is a person id or an e-mail address the organization knows (ingest the org "
        "first); the rating is a number of the ladder's scale or its word. A file with any bad "
        "line is refused whole, naming each file:line. Importing a file again replaces what "
        "it stored before."
    ),
    examples=(
        "quarterdeck ingest assessments assessments.csv",
        "quarterdeck ingest assessments review-cycle.csv --mapping assessments-mapping.yaml",
    ),
    docs="docs/sources/assessments.md",
)
