-- fragment: reporting_rates
-- What one unit of each currency is worth in the reporting currency ($currency: the
-- setting money.reporting_currency, or --currency), from a month on until the next month
-- with a rate: the imported rates into it (quarterdeck ingest rates), else the inverse of
-- a rate out of it for the same month; the reporting currency itself is worth 1 always.
-- No rate through a third currency is guessed (decision 0045). A metric converts an
-- amount with an ASOF join on (currency, month >= rate month), and a row without a rate
-- raises "no rate from X to Y for YYYY-MM": a sum over two currencies without a rate is
-- an error, never a silent sum.
SELECT from_currency AS currency, month, CAST(rate AS DOUBLE) AS rate
FROM currency_rates
WHERE to_currency = $currency
UNION ALL
SELECT i.to_currency, i.month, 1.0 / CAST(i.rate AS DOUBLE)
FROM currency_rates AS i
WHERE i.from_currency = $currency
  AND NOT EXISTS (
      SELECT 1 FROM currency_rates AS d
      WHERE d.month = i.month AND d.from_currency = i.to_currency AND d.to_currency = $currency
  )
UNION ALL
SELECT $currency, DATE '0001-01-01', 1.0
