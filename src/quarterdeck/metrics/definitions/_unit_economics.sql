-- fragment: unit_economics
-- Per period (company_periods), decision 0051:
-- cac = sales and marketing spend / customers won (NULL when none was won);
-- arpa = revenue / customers at the period's end (NULL when there are none);
-- gross_margin = gross profit / revenue (each line's margin weighted by its revenue);
-- customers_lost = customers at the start + customers won - customers at the end;
-- churn_rate = customers_lost / customers at the start (NULL when there were none);
-- ltv = arpa x gross_margin / churn_rate, written gross profit / customers / churn_rate
--   (the same, and defined when revenue is 0); NULL when no customer was lost (churn 0:
--   the lifetime has no end) or the counts say more were gained than won (churn below 0).
--   arpa and churn_rate are over the same period, so ltv is money whatever the grain.
SELECT
    *,
    sales_marketing_spend / nullif(new_customers, 0) AS cac,
    revenue / nullif(customers, 0) AS arpa,
    gross_profit / nullif(revenue, 0) AS gross_margin,
    customers_at_start + new_customers - customers AS customers_lost,
    (customers_at_start + new_customers - customers) / nullif(customers_at_start, 0) AS churn_rate,
    CASE WHEN customers_at_start + new_customers - customers > 0 AND customers_at_start > 0 AND customers > 0
        THEN gross_profit / customers / ((customers_at_start + new_customers - customers) / customers_at_start)
    END AS ltv
FROM company_periods
