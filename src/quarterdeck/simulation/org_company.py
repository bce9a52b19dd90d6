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
  general and administrative (25% of engineering) and support; operating burn = expenses -
  revenue;
- cash starts at 15 months of the first operating burn (rounded to 100,000); it falls by
  the operating burn each month, and the first month it would end under 9 months of that
  month's operating burn, the company raises 24 months of it (rounded to a million), and
  again whenever that happens later. The net burn the business metrics read from the cash
  (decision 0051) is the operating burn, less the raise in a raise's month.
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
TRUTH_COLUMNS = ("month", "customers_start", "new_customers", "churned_customers", "customers", "revenue", "arr",
                 "sales_marketing_spend", "gross_margin", "engineering_spend", "expenses", "operating_burn",
                 "fund_raise", "cash", "net_burn", "burn", "runway_months", "cac", "arpa", "churn_rate", "ltv",
                 "net_new_arr", "burn_multiple", "rnd_share_of_revenue", "engineering_cost_per_arr",
                 "currency")  # fmt: skip
RUNWAY_MONTHS = 3  # runway: cash / the average net burn of the last three months (decision 0051)


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
    def operating_burn(self) -> Decimal:
        """Expenses - revenue: what the cash falls by, before a fund raise."""
        return self.expenses - self.revenue


def company_csv(world: World) -> str:
    rows = [[m.month, m.revenue, m.arr, m.new_customers, m.customers, m.sales_marketing, m.gross_margin, m.cash,
             CURRENCY] for m in company_months(world)]  # fmt: skip
    return to_csv(COLUMNS, rows)


def company_truth_csv(world: World) -> str:
    """``truth/company.csv``: each month's figures, what the model knows beside them
    (engineering's spend, expenses, operating burn = expenses - revenue, the fund raise),
    and each business metric of the month as decision 0051 defines it (empty where it is):
    net burn = cash at the end of the month before - cash at the month's end (a raise is
    negative burn; empty the first month); burn = net burn + revenue; runway = cash / the
    average net burn of the last three months that have one; CAC = sales and marketing /
    customers won; ARPA = revenue / customers at the end; churn rate = churned / customers
    at the start; LTV = revenue x gross margin / customers at the end / churn rate; burn
    multiple = net burn / net new ARR (both above 0); R&D share of revenue = engineering's
    spend / revenue; engineering cost per ARR = engineering's spend x 12 / ARR."""
    rows: list[list[object]] = []
    burns: list[Decimal] = []
    previous: Month | None = None
    for m in company_months(world):
        net_burn = previous.cash - m.cash if previous else None
        net_new_arr = m.arr - previous.arr if previous else None
        burns = ([*burns, net_burn] if net_burn is not None else burns)[-RUNWAY_MONTHS:]
        average = sum(burns) / len(burns) if burns else None  # the months of the last three with a net burn
        churn = Decimal(m.churned) / m.customers_start
        profit = m.revenue * m.gross_margin
        rows.append(
            [m.month, m.customers_start, m.new_customers, m.churned, m.customers, m.revenue, m.arr,
             m.sales_marketing, m.gross_margin, m.engineering, m.expenses, m.operating_burn, m.fund_raise,
             m.cash, _blank(net_burn), _blank(net_burn + m.revenue if net_burn is not None else None),
             _ratio(m.cash / average) if average and average > 0 else "", _ratio(m.sales_marketing / m.new_customers),
             _ratio(m.revenue / m.customers), _ratio(churn), _ratio(profit / m.customers / churn) if churn > 0 else "",
             _blank(net_new_arr),
             _ratio(net_burn / net_new_arr) if net_burn and net_new_arr and net_burn > 0 and net_new_arr > 0 else "",
             _ratio(m.engineering / m.revenue), _ratio(m.engineering * 12 / m.arr), CURRENCY]
        )  # fmt: skip
        previous = m
    return to_csv(TRUTH_COLUMNS, rows)


def _blank(value: Decimal | None) -> object:
    return "" if value is None else value


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
