"""Due diligence on crafted repositories: secret-like patterns counted exactly and never
printed, red flags raised where the rules say and nowhere else, missing HR data said."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pypdf

from tests.browser import ensure_browser_installed
from tests.conftest import run_quarterdeck
from tests.diligence_repos import SECRET_VALUES, healthy, leaky, legacy, risky
from tests.orgdata import people_csv


def diligence(root: Path, *extra: str, formats: str = "json") -> tuple[dict, str, str]:
    done = run_quarterdeck("report", "diligence", "--repos", str(root / "repos"), "--out", str(root / "out"),
                           "--format", formats, *extra)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if "json" in formats else {}, done.stdout, done.stderr


def test_secret_like_patterns_are_counted_exactly_and_never_printed(tmp_path: Path) -> None:
    ensure_browser_installed()
    leaky(tmp_path / "repos")
    found, stdout, stderr = diligence(tmp_path, formats="json,html,pdf")
    html = (tmp_path / "out" / "diligence.html").read_text()
    pages = pypdf.PdfReader(tmp_path / "out" / "diligence.pdf").pages
    pdf = unicodedata.normalize("NFKC", "".join(page.extract_text() for page in pages))  # no ligature hides a value
    assert "AWS access key ids" in html and "deploy/id_rsa" in html and "AWS access key ids" in pdf
    flat = " ".join(pdf.split())
    for sentence in found["summary"]:  # the PDF holds the page's summary, word for word
        assert " ".join(sentence["text"].split()) in flat
    for value in SECRET_VALUES:
        for where, text in (("stdout", stdout), ("stderr", stderr), ("html", html), ("pdf", pdf)):
            assert value not in text, f"{value} printed in {where}"
    counts = {s["kind"]: (s["matches"], s["files"], s["paths"]) for s in found["secrets"]}
    assert counts == {
        "private_key": (1, 1, ["deploy/id_rsa"]),
        "aws_access_key_id": (3, 2, [".env", "src/app.py"]),
        "github_token": (1, 1, [".github/workflows/ci.yml"]),
        "slack_token": (1, 1, ["docs/notes.md"]),
        "config_secret": (3, 2, [".env", "config/settings.yaml"]),
    }
    grades = {(f["grade"], f["title"]) for f in found["red_flags"] if f["repository"] == "leaky"}
    assert ("critical", "Private key headers in the code") in grades
    assert ("high", "Passwords and tokens written in configuration in the code") in grades
    assert not list((tmp_path / "out").glob(".diligence-*")), "the temporary warehouse is removed"


def test_red_flags_fire_on_the_crafted_cases_and_nowhere_else(tmp_path: Path) -> None:
    for build in (risky, healthy, legacy):
        build(tmp_path / "repos")
    found, _, _ = diligence(tmp_path)
    raised = {(f["grade"], f["title"], f["repository"]) for f in found["red_flags"]}
    assert raised == {
        ("high", "One person wrote at least half of the last year's changes", "risky"),
        ("high", "Copyleft licence (GPL-3.0)", "risky"),
        ("high", "No tests", "risky"),
        ("medium", "No continuous integration", "risky"),
        ("low", "Dependencies not locked", "risky"),
        ("high", "Copyleft dependencies", "risky"),
        ("high", "Knowledge held by authors inactive for 6+ months", "legacy"),
        ("high", "One person wrote at least half of the last year's changes", "legacy"),
    }
    legacy_flag = next(f for f in found["red_flags"] if f["repository"] == "legacy" and "Knowledge" in f["title"])
    assert legacy_flag["evidence"] == {"departed_share": round(87 / 127, 4)}  # LICENSE 3 + CI 4 + code 60 + tests 20
    repos = {r["name"]: r for r in found["repositories"]}
    assert (repos["healthy"]["bus_factor_12m"], repos["risky"]["bus_factor_12m"]) == (2, 1)
    assert (repos["healthy"]["frameworks"], repos["risky"]["frameworks"]) == (["express 4"], ["flask ==3.0"])
    assert repos["healthy"]["manifests"] == {"package.json": 2} and repos["risky"]["manifests"] == {
        "requirements.txt": 2
    }
    assert [f["grade"] for f in found["red_flags"]] == sorted(
        (f["grade"] for f in found["red_flags"]), key=["critical", "high", "medium", "low"].index
    )
    assert found["departed"]["method"] == "inactive"
    assert any("No HR export was given" in note for note in found["notes"])
    said = [s["text"] for s in found["summary"]]
    assert said[-1].startswith("8 red flags: 6 high, 1 medium, 1 low")
    copyleft = next(f for f in found["red_flags"] if f["title"] == "Copyleft dependencies")
    assert copyleft["evidence"] == {"dependencies": ["flask (GPL-3.0, runtime)"]}
    assert "Over the last 12 months the bus factor is 1 in 2 of 3 repositories with changes." in said
    assert "No commit in 2026Q3, the last full quarter, nor in the year before." in said
    assert "1 author with no commit in 182 days (no HR export given) wrote 16% of all changed lines." in said
    assert (
        "Licences: GPL-3.0 (1), MIT (2); 4 dependencies declared, 0 pinned by a lock file, "
        "2 with a known licence, 1 under a strong copyleft." in said
    )


def test_with_the_hr_export_people_who_left_come_from_it_not_from_inactivity(tmp_path: Path) -> None:
    for build in (healthy, legacy):
        build(tmp_path / "repos")
    hr = people_csv(
        tmp_path, "people-2026-11-30.csv",
        "P1,Dave Example,dave@example.com,,Engineer,IC3,engineer,,,Lisbon,full-time,2023-01-02,2025-01-31,90000,,",
        "P2,Eve Example,eve@example.com,,Engineer,IC3,engineer,,,Lisbon,full-time,2024-06-03,,90000,,",
        "P3,Bob Example,bob@example.com,,Engineer,IC3,engineer,,,Lisbon,full-time,2022-06-01,2026-11-15,90000,,",
    )  # fmt: skip
    found, _, _ = diligence(tmp_path, "--org", str(hr))
    # changed lines: legacy: dave 3 + 4 + 60 + 20, eve 40; healthy: alice 3 + 1 + 1 + 4 + 100, bob 100, carol 100
    changed = {"dave": 87, "eve": 40, "alice": 109, "bob": 100, "carol": 100}
    assert found["departed"] == {"method": "hr_export", "unlinked_authors": 2, "authors": 2,
                                 "share_of_changed_lines": round((87 + 100) / sum(changed.values()), 4)}  # fmt: skip
    assert not any("No HR export" in note for note in found["notes"])
    assert any("2 authors are linked to nobody in the HR export" in note for note in found["notes"])
    titles = {f["title"] for f in found["red_flags"]}
    assert "Knowledge held by people who left" in titles
    assert not any("inactive" in t for t in titles)


def test_binary_and_oversized_files_are_not_searched(tmp_path: Path) -> None:
    from quarterdeck.ingest.head_scan import MAX_BYTES
    from tests.gitrepo import Repo

    repo = Repo.create(tmp_path / "repos" / "blobs")
    key = "AKIAIOSFODNN7EXAMPLE"
    repo.write("small.txt", f"key {key}\n")
    repo.write("data.bin", b"\x00\x01" + key.encode() + b"\n")
    repo.write("big.txt", "x" * MAX_BYTES + f"\nkey {key}\n")
    repo.commit("Files", "2026-11-02T10:00:00+00:00")
    found, _, _ = diligence(tmp_path)
    assert [(s["kind"], s["matches"], s["paths"]) for s in found["secrets"]] == [
        ("aws_access_key_id", 1, ["small.txt"])
    ]
