"""The company's figures per month, as finance exports them: revenue, ARR, customers won
and at the month's end, sales and marketing spend, gross margin, cash, in a currency. Each
file is the whole record of the months it covers."""

from quarterdeck.sources.frame import MAPPING_FLAG, Resource, Scope, Source, mapping_option

SOURCE = Source(
    name="finance",
    kind="file",
    summary="Ingest the company's figures per month (revenue, ARR, customers, spend, margin, cash).",
    reader="quarterdeck.sources.finance.reader:read_finance",
    scope=Scope("files", "a file", "a path such as finance-2026.csv", lambda entry: isinstance(entry, str)),
    options=(
        mapping_option(
            "finance-mapping.yaml",
            "month, revenue, arr, new_customers, customers, sales_marketing_spend, gross_margin, cash, currency",
        ),
    ),
    resources=(Resource("monthly figures", "company_finance", "none: a file replaces every line of its months"),),
    flags=(MAPPING_FLAG,),
    description=(
        "Each CSV line is one month of the company in one currency (ISO code; amounts are "
        "not converted): revenue, ARR, new customers, customers at the month's end, sales and "
        "marketing spend, gross margin (0.72 or 72%) and cash at the month's end. A file with "
        "any bad line is refused whole, naming each file:line. Importing a file again replaces "
        "every stored line of the months it covers."
    ),
    examples=(
        "quarterdeck ingest finance finance-2026.csv",
        "quarterdeck ingest finance board-pack.csv --mapping board-pack-mapping.yaml",
    ),
    docs="docs/sources/finance.md",
)
