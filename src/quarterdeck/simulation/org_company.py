"""The company's monthly figures: ``finance/company.csv``, as ``quarterdeck ingest finance``
reads it (docs/sources/finance.md), and its truth ``truth/company.csv``.

A software company selling yearly subscriptions (assumptions, documented in
docs/simulation.md, "Company finance"):

- customers pay ARPA_YEAR (30,000 USD) a year each, rising 0.3% a month; before the first
  month there are as many as make ARR half of engineering's first month of spend x 12;
- each month customers leave with a chance of 1.2% (Poisson), and sales win a Poisson
  number with mean 4.5% of last month's customers (at least one); sales and marketing
  spend is what that mean costs at CAC_TARGET (36,000) a customer, +-10%;
- revenue is the month's average customers x ARPA / 12; ARR is the month-end customers
  x ARPA; cost of revenue is 60% of engineering's cloud bill plus support at 10% of revenue,
  so the gross margin is 1 - cost of revenue / revenue;
- expenses are engineering's spend (every budget line's actual), sales and marketing,
  general and administrative (25% of engineering) and support; net burn = expenses - revenue;
- cash starts at 15 months of the first net burn (rounded to 100,000); it falls by the
  net burn each month, and the first month it would end under 9 months of that month's net
  burn, the company raises 24 months of it (rounded to a million), and again whenever that
  happens later.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from quarterdeck.simulation.model import World
from quarterdeck.simulation.org_finance import budget_lines, cents
from quarterdeck.simulation.org_text import to_csv
from quarterdeck.simulation.rng import Rng

CURRENCY = "USD"
ARPA_YEAR = 30_000
ARPA_GROWTH = 0.003
CHURN = 0.012
WIN_RATE = 0.045
CAC_TARGET = 36_000
CLOUD_IN_COST_OF_REVENUE = 0.6
SUPPORT_SHARE = 0.10
GENERAL_SHARE = 0.25
START_RUNWAY, RAISE_BELOW, RAISE_MONTHS = 15, 9, 24
COLUMNS = ("month", "revenue", "arr", "new_customers", "customers", "sales_marketing_spend", "gross_margin",
           "cash", "currency")  # fmt: skip
TRUTH_COLUMNS = ("month", "customers_start", "new_customers", "churned_customers", "customers", "revenue",
                 "sales_marketing_spend", "cac", "engineering_spend", "expenses", "net_burn", "fund_raise",
                 "cash", "runway_months", "gross_margin", "arpa_month", "churn_rate", "ltv", "currency")  # fmt: skip


@dataclass(frozen=True)
class Month:
    month: str  # YYYY-MM
    customers_start: int
    new_customers: int
    churned: int
    customers: int
    revenue: Decimal
    arr: Decimal
    sales_marketing: Decimal
    gross_margin: Decimal  # a ratio, 4 decimals
    engineering: Decimal
    expenses: Decimal
    fund_raise: Decimal
    cash: Decimal

    @property
    def net_burn(self) -> Decimal:
        return self.expenses - self.revenue


def company_csv(world: World) -> str:
    rows = [[m.month, m.revenue, m.arr, m.new_customers, m.customers, m.sales_marketing, m.gross_margin, m.cash,
             CURRENCY] for m in company_months(world)]  # fmt: skip
    return to_csv(COLUMNS, rows)


def company_truth_csv(world: World) -> str:
    """``truth/company.csv``: each month's figures and what the business metrics make of them:
    CAC = sales and marketing / new customers; net burn = expenses - revenue (so cash falls
    by net burn - fund raise); runway = cash / net burn, in months; ARPA = revenue / customers
    at the start; churn rate = churned / customers at the start; LTV = ARPA x gross margin /
    churn rate (empty when nobody churned)."""
    rows = []
    for m in company_months(world):
        arpa = m.revenue / m.customers_start
        churn = Decimal(m.churned) / m.customers_start
        rows.append(
            [m.month, m.customers_start, m.new_customers, m.churned, m.customers, m.revenue, m.sales_marketing,
             _ratio(m.sales_marketing / m.new_customers), m.engineering, m.expenses, m.net_burn, m.fund_raise,
             m.cash, _ratio(m.cash / m.net_burn) if m.net_burn > 0 else "", m.gross_margin, _ratio(arpa),
             _ratio(churn), _ratio(arpa * m.gross_margin / churn) if churn else "", CURRENCY]
        )  # fmt: skip
    return to_csv(TRUTH_COLUMNS, rows)


def _ratio(value: Decimal) -> str:
    return f"{value:.6f}"


def engineering_spend(world: World) -> dict[str, tuple[Decimal, Decimal]]:
    """Per month simulated: every budget line's actual, and the cloud lines' actual."""
    found: dict[str, tuple[Decimal, Decimal]] = {}
    for (month, _, category), (_, actual) in budget_lines(world).items():
        if actual is None:
            continue
        total, cloud = found.get(month, (Decimal(0), Decimal(0)))
        found[month] = (total + actual, cloud + (actual if category == "cloud" else 0))
    return found


def company_months(world: World) -> list[Month]:
    rng = Rng(world.seed, "org", "company")
    spend = sorted(engineering_spend(world).items())
    first_spend = float(spend[0][1][0]) if spend else 0.0
    customers = max(1, round(first_spend * 12 * 0.5 / ARPA_YEAR))
    cash: Decimal | None = None
    found = []
    for index, (month, (engineering, cloud)) in enumerate(spend):
        arpa = ARPA_YEAR * (1 + ARPA_GROWTH) ** index
        expected = customers * WIN_RATE
        new, churned = max(1, rng.poisson(expected)), min(customers, rng.poisson(customers * CHURN))
        ending = customers + new - churned
        revenue = cents((customers + ending) / 2 * arpa / 12)
        sales = cents(expected * CAC_TARGET * rng.uniform(0.9, 1.1))
        support = cents(float(revenue) * SUPPORT_SHARE)
        margin = 1 - (float(cloud) * CLOUD_IN_COST_OF_REVENUE + float(support)) / float(revenue)
        expenses = engineering + sales + support + cents(float(engineering) * GENERAL_SHARE)
        burn = expenses - revenue
        if cash is None:
            cash = Decimal(max(1, round(float(burn) * START_RUNWAY / 100_000)) * 100_000)
        cash -= burn
        raise_ = Decimal(0)
        if burn > 0 and cash < RAISE_BELOW * burn:
            raise_ = Decimal(max(1, round(float(burn) * RAISE_MONTHS / 1_000_000)) * 1_000_000)
            cash += raise_
        found.append(Month(month, customers, new, churned, ending, revenue, cents(ending * arpa), sales,
                           Decimal(f"{margin:.4f}"), engineering, expenses, raise_, cash))  # fmt: skip
        customers = ending
    return found
