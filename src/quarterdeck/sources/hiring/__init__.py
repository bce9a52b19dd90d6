"""A hiring pipeline: an applicant tracking system's export, one line per candidate stage
change (requisition, candidate id, stage, date entered, outcome, source), its stages mapped
onto the canonical funnel (applied, screen, interview, offer, hired). Read by the hiring
metrics (docs/hiring.md) and the plans' time to fill and offer acceptance."""

from quarterdeck.sources.frame import MAPPING_FLAG, Resource, Scope, Source, mapping_option

SOURCE = Source(
    name="hiring",
    kind="file",
    summary="Ingest an applicant tracking export (candidate stage changes per requisition) for the hiring funnel.",
    reader="quarterdeck.sources.hiring.reader:read_hiring",
    scope=Scope("files", "a file", "a path such as hiring.csv", lambda entry: isinstance(entry, str)),
    options=(
        mapping_option(
            "hiring-mapping.yaml",
            "requisition, candidate, stage, date, outcome, source (and its stages: export stage -> funnel stage)",
        ),
    ),
    resources=(Resource("hiring", "hiring_stages", "none: a file replaces the requisitions it holds"),),
    flags=(MAPPING_FLAG,),
    description=(
        "Each CSV line says that a candidate of a requisition entered a stage on a date, with "
        "optionally the outcome of the application (hired, rejected, withdrew, offer declined) "
        "and where the candidate came from (referral, inbound, agency, sourced). Each stage maps "
        "onto the funnel applied, screen, interview, offer, hired: by its own name, or through "
        "the mapping file's 'stages:' table; the export's stage names are kept. Candidate ids are "
        "stored as given. A file with any bad line (a bad date, an unknown stage, a stage entered "
        "before an earlier one of the funnel) is refused whole, naming each file:line. A "
        "requisition that the imported positions lack is stored, with a note. Importing a file "
        "again replaces the requisitions it holds."
    ),
    examples=(
        "quarterdeck ingest hiring hiring.csv",
        "quarterdeck ingest hiring greenhouse-stages.csv --mapping hiring-mapping.yaml",
    ),
    docs="docs/sources/hiring.md",
)
