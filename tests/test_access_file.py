"""The access file (``config.access``) and ``quarterdeck access new-token``."""

from __future__ import annotations

import hashlib

import pytest

from quarterdeck.config.access import load_access, new_token, token_digest
from quarterdeck.core.errors import ConfigError
from tests.conftest import run_quarterdeck

DIGEST = hashlib.sha256(b"qd_secret").hexdigest()


def write(tmp_path, text: str):
    path = tmp_path / "access.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_person_is_found_by_their_token_only(tmp_path):
    other = token_digest("qd_other")
    access = load_access(write(tmp_path, (
        "people:\n"
        f"  - {{name: Dana, role: admin, token_sha256: {DIGEST.upper()}}}\n"
        f"  - {{name: Lee, role: leader, unit: platform, token_sha256: {other}}}\n"
    )))  # fmt: skip
    assert len(access) == 2
    assert access.find("qd_secret").name == "Dana" and access.find("qd_other").unit == "platform"
    assert access.find("qd_wrong") is None and access.find(None) is None and access.find("") is None
    assert DIGEST not in repr(access.find("qd_secret"))


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "{name: Dana, role: owner, token_sha256: DIGEST}",
            "people entry 1: role must be one of admin, leader, member, not 'owner'",
        ),
        ("{name: Dana, role: admin, token_sha256: abc}", "people entry 1: token_sha256 must be 64 hex digits"),
        ("{name: Lee, role: leader, token_sha256: DIGEST}", "people entry 1: a leader needs 'unit'"),
        ("{name: Sam, role: member, token_sha256: DIGEST}", "people entry 1: a member needs 'team'"),
        ("{name: Dana, role: admin, token: x, token_sha256: DIGEST}", "people entry 1: unknown key 'token'"),
        ("{role: admin}", "people entry 1: missing name, token_sha256"),
    ],
)
def test_mistakes_name_the_file_and_the_entry(tmp_path, entry, message):
    path = write(tmp_path, "people:\n  - " + entry.replace("DIGEST", DIGEST) + "\n")
    with pytest.raises(ConfigError) as raised:
        load_access(path)
    assert str(raised.value).startswith(f"{path}:2, {message}")  # the entry's line


def test_the_same_token_twice_and_an_empty_file_are_refused(tmp_path):
    path = write(tmp_path, f"people:\n  - {{name: A, role: admin, token_sha256: {DIGEST}}}\n"
                           f"  - {{name: B, role: admin, token_sha256: {DIGEST}}}\n")  # fmt: skip
    with pytest.raises(ConfigError, match="A and B have the same token"):
        load_access(path)
    with pytest.raises(ConfigError, match="expected a list 'people:' with at least one entry"):
        load_access(write(tmp_path, "people: []\n"))
    with pytest.raises(ConfigError) as raised:
        load_access(write(tmp_path, "people:\n\t- name: x\n"))
    assert str(raised.value).startswith(f"{tmp_path / 'access.yaml'}:2: not valid YAML")


def test_new_tokens_are_random_and_their_digest_is_what_the_file_holds():
    (one, digest), (two, _) = new_token(), new_token()
    assert one != two and one.startswith("qd_") and len(one) > 40
    assert digest == hashlib.sha256(one.encode()).hexdigest()


def test_the_command_prints_the_token_once_and_the_entry(tmp_path):
    done = run_quarterdeck("access", "new-token", "--name", "Sam Ito", "--role", "member", "--team", "checkout")
    assert done.returncode == 0, done.stderr
    token = done.stderr.strip().rsplit(": ", 1)[1]
    assert token not in done.stdout
    path = write(tmp_path, "people:\n" + done.stdout)
    person = load_access(path).find(token)
    assert (person.name, person.role, person.team) == ("Sam Ito", "member", "checkout")
    refused = run_quarterdeck("access", "new-token", "--name", "Lee", "--role", "leader")
    assert refused.returncode == 2 and "a leader needs --unit" in refused.stderr
