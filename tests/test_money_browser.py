"""The Money area in a real headless Chromium (``tests/browser.py``): an admin opens the
quarter's tiles and follows one to its metric page; a member is refused; a leader lands on
their unit and sees nothing outside it. The dashboard is served on the organization and
budget of ``tests/money_site.py`` with the test-only money metrics."""

from __future__ import annotations

import pytest

from tests.browser import chromium_fixture, only_local_requests, page_fixture, save_artifact  # noqa: F401
from tests.money_site import money_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with money_site(tmp_path_factory.mktemp("money-browser")) as running:
        yield running


def signed_in(page, site, role: str):
    page.set_extra_http_headers({"Authorization": f"Bearer {site.tokens[role]}"})
    return page


def test_an_admin_sees_the_money_tiles_and_follows_one_to_its_page(site, page) -> None:
    requests = only_local_requests(signed_in(page, site, "admin"))
    page.goto(site.base_url + "/")
    assert page.locator(".tile[data-metric=budget_spent]").count() == 0  # never on the overview
    page.click("a.money-link")
    page.fill("input[name=quarter]", "2026Q3")
    page.click("button[type=submit]")
    spent = page.locator(".tile[data-metric=budget_spent]")
    assert spent.locator(".tile-value").inner_text() == "13,651 currency"
    assert "quarterdeck ingest finance FILE" in page.locator(".tile[data-metric=company_revenue]").inner_text()
    save_artifact(page, "money-area")
    spent.click()
    page.wait_for_url("**/metrics/budget_spent?until=2026-09-30")
    assert page.locator("h1").inner_text() == "Budget spent"
    assert page.locator("#chart-over-time svg").count() == 1
    assert page.locator(".crumbs a", has_text="Money").count() == 1
    assert requests.blocked == []


def test_a_member_gets_a_403_page_and_no_money_anywhere(site, page) -> None:
    signed_in(page, site, "member")
    response = page.goto(site.base_url + "/money")
    assert response is not None and response.status == 403
    assert "money figures are for admins and leaders" in page.locator(".problem").inner_text()
    page.goto(site.base_url + "/?team=payments")
    assert page.locator("a.money-link").count() == 0
    assert page.locator(".tile[data-metric=budget_spent]").count() == 0


def test_a_leader_lands_on_their_unit_and_sees_only_it(site, page) -> None:
    signed_in(page, site, "leader")
    page.goto(site.base_url + "/money?quarter=2026Q3")
    assert page.url.endswith("/money?unit=eng&quarter=2026Q3")  # their own unit, the quarter kept
    page.goto(site.base_url + "/money?unit=eng&quarter=2026Q3")
    assert page.locator(".tile[data-metric=budget_spent] .tile-value").inner_text() == "13,201 currency"
    options = page.locator("select[name=scope] option").evaluate_all("options => options.map(o => o.value)")
    assert "team:field" not in options and {"unit:eng", "team:platform", "team:payments"} <= set(options)
    response = page.goto(site.base_url + "/money?team=field")
    assert response is not None and response.status == 403
    assert "your access covers the unit eng, not team field" in page.locator(".problem").inner_text()
