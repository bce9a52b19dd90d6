"""Budget lines per month, as finance exports them: team or cost center, category, planned
and actual amounts, currency. Each file is the whole budget of the months it covers."""

from quarterdeck.sources.frame import MAPPING_FLAG, Resource, Scope, Source, mapping_option

SOURCE = Source(
    name="budget",
    kind="file",
    summary="Ingest budget lines per month (planned and actual, per team and category).",
    reader="quarterdeck.sources.budget.reader:read_budget",
    scope=Scope("files", "a file", "a path such as budget-2026.csv", lambda entry: isinstance(entry, str)),
    options=(mapping_option("budget-mapping.yaml", "month, cost_center, category, planned, actual, currency"),),
    resources=(Resource("budget lines", "budget_lines", "none: a file replaces every line of its months"),),
    flags=(MAPPING_FLAG,),
    description=(
        "Each CSV line is one month's budget of one team (or cost center) in one category "
        "(people, contractors, cloud, software, travel, other): planned, actual (empty for "
        "months not spent yet) and the currency (ISO code; amounts are not converted). The "
        "team must be a team of the organization (ingest the org first). A file with any bad "
        "line is refused whole, naming each file:line. Importing a file again replaces every "
        "stored line of the months it covers: lines no longer in the export disappear."
    ),
    examples=(
        "quarterdeck ingest budget budget-2026.csv",
        "quarterdeck ingest budget adaptive-export.csv --mapping adaptive-mapping.yaml",
    ),
    docs="docs/sources/budget.md",
)
