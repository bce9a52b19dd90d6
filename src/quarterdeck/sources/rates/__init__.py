"""Exchange rates, as finance keeps them: per month, how many units of one currency one
unit of another is worth. Money metrics convert every amount to the reporting currency with
them; without a rate, a sum over two currencies is an error, never a silent sum."""

from quarterdeck.sources.frame import MAPPING_FLAG, Resource, Scope, Source, mapping_option

SOURCE = Source(
    name="rates",
    kind="file",
    summary="Ingest exchange rates per month (to convert amounts to the reporting currency).",
    reader="quarterdeck.sources.rates.reader:read_rates",
    scope=Scope("files", "a file", "a path such as rates-2026.csv", lambda entry: isinstance(entry, str)),
    options=(mapping_option("rates-mapping.yaml", "month, from, to, rate"),),
    resources=(Resource("exchange rates", "currency_rates", "none: a file replaces every rate of its months"),),
    flags=(MAPPING_FLAG,),
    description=(
        "Each CSV line is one month's rate between two currencies (ISO codes): one unit of "
        "'from' is worth 'rate' units of 'to', from that month until the next month that has "
        "a rate. Money metrics use the rates into the reporting currency (setting "
        "money.reporting_currency, or --currency) and, when only the other way is given, its "
        "inverse. A file with any bad line is refused whole, naming each file:line. Importing "
        "a file again replaces every stored rate of the months it covers."
    ),
    examples=(
        "quarterdeck ingest rates rates-2026.csv",
        "quarterdeck ingest rates treasury-rates.csv --mapping treasury-mapping.yaml",
    ),
    docs="docs/sources/rates.md",
)
