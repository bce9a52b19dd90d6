-- Money (docs/sources/cloud-costs.md): cloud bills in the FinOps FOCUS format, one row per
-- bill row, amounts in the bill's currency (nothing is converted when stored).
-- month: the first day of the UTC month the charge period starts in (the month a row counts in).
-- sub_account: SubAccountName ('' when the bill has none); tags: the Tags JSON object as
--   given (NULL when none). Allocation to teams and services is done when a metric runs
--   (table cloud_allocation_rules), so changing the rules needs no re-import (decision 0048).
-- The values are checked when imported (a file with a bad row is refused whole), not by
-- NOT NULL here: the rows are inserted straight from the file and checked where they lie.
-- line: the file's line (CSV, 1 = the header) or row number (Parquet, 1 = the first row).
-- A re-import replaces every stored row of the (provider, sub_account, month) the imported
-- files cover (decision 0047). No primary key: a bill has millions of rows and none is unique.
CREATE TABLE cloud_costs (
    month               DATE,
    provider            VARCHAR,
    sub_account         VARCHAR,
    charge_period_start TIMESTAMPTZ,
    charge_period_end   TIMESTAMPTZ,
    charge_category     VARCHAR,               -- Usage, Purchase, Tax, Credit, Adjustment
    service_name        VARCHAR,               -- the provider's service (Amazon EC2, ...)
    resource_id         VARCHAR,
    billed_cost         DECIMAL(18, 6),
    effective_cost      DECIMAL(18, 6),
    currency            VARCHAR,               -- BillingCurrency, ISO 4217, upper-case
    tags                VARCHAR,               -- JSON object of key -> value
    file                VARCHAR NOT NULL,
    line                BIGINT NOT NULL,
    source              VARCHAR NOT NULL,
    loaded_at           TIMESTAMPTZ NOT NULL
);
