"""Cloud bills in the FinOps FOCUS format (CSV or Parquet), and the rules allocating their
spend to teams and services. Two sources: ``cloud-costs`` (the bills, staged and stored
with SQL by the store: millions of rows, never Python records) and ``cloud-allocation``
(the rules file, applied when a metric runs, so changing it needs no re-import)."""

from quarterdeck.sources.frame import MAPPING_FLAG, Resource, Scope, Source, mapping_option

CLOUD_COSTS = Source(
    name="cloud-costs",
    kind="file",
    title="Cloud costs",
    summary="Ingest cloud bills in the FinOps FOCUS format (CSV or Parquet).",
    reader="quarterdeck.sources.cloud_costs.reader:read_cloud_costs",
    scope=Scope("files", "a file", "a path such as focus-2026-01.csv", lambda entry: isinstance(entry, str)),
    options=(mapping_option("focus-mapping.yaml", "the FOCUS columns (BilledCost, EffectiveCost, ...)"),),
    resources=(
        Resource(
            "cloud costs",
            "cloud_costs",
            "none: the files replace the stored rows of the provider, sub-account and month they cover",
        ),
    ),
    flags=(MAPPING_FLAG,),
    description=(
        "Each row is one charge of a FOCUS bill: BilledCost, EffectiveCost, BillingCurrency, "
        "ChargePeriodStart, ChargePeriodEnd, ChargeCategory, ServiceName, ProviderName and, when "
        "the bill has them, SubAccountName, ResourceId and Tags (a JSON object). CSV or Parquet "
        "(told by the file's content). The files of one command are one import: a file with any "
        "bad row refuses them all, naming each file:line, and nothing is stored. An import "
        "replaces every stored row of the (provider, sub-account, month) its files cover: give "
        "the parts of a split export together. Spend is allocated to teams and services when "
        "metrics run, by the rules of quarterdeck ingest cloud-allocation."
    ),
    examples=(
        "quarterdeck ingest cloud-costs focus-2026-01.csv",
        "quarterdeck ingest cloud-costs aws-2026-01-part-1.parquet aws-2026-01-part-2.parquet",
        "quarterdeck ingest cloud-costs billing-export.csv --mapping focus-mapping.yaml",
    ),
    docs="docs/sources/cloud-costs.md",
)

CLOUD_ALLOCATION = Source(
    name="cloud-allocation",
    kind="file",
    title="Cloud allocation rules",
    summary="Ingest the rules allocating cloud spend to teams and services (tags, accounts, untagged spread).",
    reader="quarterdeck.sources.cloud_costs.rules:read_rules",
    scope=Scope("files", "a file", "a path such as cloud-allocation.yaml", lambda entry: isinstance(entry, str)),
    resources=(Resource("cloud allocation rules", "cloud_allocation_rules", "none: a rules file replaces every rule"),),
    description=(
        "A YAML file: team_tags (the tag keys naming a team, first present wins; default team, "
        "cost-center), service_tags (default service), accounts (SubAccountName: team, for spend "
        "no tag allocates) and untagged (untagged: shown as its own group, the default; "
        "headcount: spread over teams by their FTE; usage: by their share of the allocated "
        "spend). Teams are the organization's ids, names or aliases. Importing a rules file "
        "replaces every stored rule; the cloud metrics use them at once, no bill is re-imported."
    ),
    examples=("quarterdeck ingest cloud-allocation cloud-allocation.yaml",),
    docs="docs/sources/cloud-costs.md",
)
