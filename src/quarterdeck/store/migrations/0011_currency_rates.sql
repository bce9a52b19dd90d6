-- Money (docs/sources/rates.md): exchange rates per month as finance keeps them.
-- month: the first day of the month; the rate holds from that month until the next month
--   that has a rate for the same pair.
-- rate: one unit of from_currency is worth rate units of to_currency (above 0).
-- A pair is given once per month, one way round (EUR -> USD or USD -> EUR, not both); money
-- metrics use the inverse when only the other way is given (decision 0045).
-- A re-import of a file replaces every stored rate of the months the file covers.
CREATE TABLE currency_rates (
    month         DATE NOT NULL,
    from_currency VARCHAR NOT NULL,          -- ISO 4217, upper-case
    to_currency   VARCHAR NOT NULL,          -- ISO 4217, upper-case
    rate          DECIMAL(18, 8) NOT NULL,
    file          VARCHAR NOT NULL,
    line          INTEGER NOT NULL,
    source        VARCHAR NOT NULL,
    loaded_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (month, from_currency, to_currency),
    CHECK (rate > 0),
    CHECK (from_currency <> to_currency)
);
