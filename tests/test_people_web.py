"""The dashboard's People area (``/people``, ``/api/v1/people``) over real HTTP: it lists the
people-program pages this server has, and for whom each is; the People link is on every page."""

from __future__ import annotations

from pathlib import Path

import pytest

from quarterdeck.web.people import PAGES
from tests.money_site import money_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with money_site(tmp_path_factory.mktemp("people-web")) as served:
        yield served


def test_the_index_lists_the_pages_served_and_who_may_open_each(site) -> None:
    served_paths = {path for path, *_ in PAGES}  # every people-program page is on this server
    for role, leaders_allowed in (("admin", True), ("leader", True), ("member", False)):
        answer = site.get("/api/v1/people", role)
        assert answer.status_code == 200, answer.text
        pages = answer.json()["pages"]
        assert {p["href"] for p in pages} == served_paths
        for page in pages:
            assert page["allowed"] == (page["for"] == "everyone" or leaders_allowed), (role, page)


def test_every_page_links_to_the_people_area(site) -> None:
    page = site.get("/people", "member")
    assert page.status_code == 200 and "<h1>People</h1>" in page.text
    home = site.get("/", "member")
    if home.status_code in (302, 303, 307):  # a member's overview opens on their team
        home = site.get(home.headers["location"], "member")
    assert home.status_code == 200 and 'href="/people" class="people-link"' in home.text


def test_the_index_names_only_pages_this_server_has(tmp_path: Path) -> None:
    listed = [path for path, *_ in PAGES]
    assert len(listed) == len(set(listed)) and all(path.startswith("/people/") for path in listed)
