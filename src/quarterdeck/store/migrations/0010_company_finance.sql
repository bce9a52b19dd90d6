-- Money (docs/sources/finance.md): the company's figures per month as finance exports them,
-- each line in its own currency (nothing is converted when stored).
-- month: the first day of the month.
-- revenue, arr, sales_marketing_spend, cash: amounts of 0 or more in the line's currency;
--   cash is the cash at the month's end.
-- new_customers: customers won in the month; customers: customers at the month's end (churn
--   is worked out later from it and new_customers).
-- gross_margin: a ratio from 0 to 1 (a file's 72% is stored as 0.72).
-- A line is one (month, currency): a company reporting in two currencies gives two lines per
-- month, never added up here (decision 0044).
-- A re-import of a file replaces every stored line of the months the file covers.
CREATE TABLE company_finance (
    month                 DATE NOT NULL,
    revenue               DECIMAL(18, 2) NOT NULL,
    arr                   DECIMAL(18, 2) NOT NULL,
    new_customers         INTEGER NOT NULL,
    customers             INTEGER NOT NULL,
    sales_marketing_spend DECIMAL(18, 2) NOT NULL,
    gross_margin          DECIMAL(9, 6) NOT NULL,   -- 0 to 1
    cash                  DECIMAL(18, 2) NOT NULL,
    currency              VARCHAR NOT NULL,         -- ISO 4217, upper-case
    file                  VARCHAR NOT NULL,
    line                  INTEGER NOT NULL,
    source                VARCHAR NOT NULL,
    loaded_at             TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (month, currency)
);
