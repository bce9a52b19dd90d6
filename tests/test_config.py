"""Settings: one resolution order, flags > environment QUARTERDECK_* > project config file
(``quarterdeck.toml`` in the working folder, or --config / QUARTERDECK_CONFIG) > defaults,
and a one-line error naming the file or setting for anything invalid."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from quarterdeck.config import load_settings
from quarterdeck.config.settings import DEFAULT_BOT_PATTERNS, DEFAULT_GIT_REFS, Settings
from quarterdeck.core.errors import ConfigError
from tests.gitrepo import ALICE, Person

CI_BOT = Person("ci-runner", "ci@example.com")
RELEASER = Person("release-train", "release@example.com")


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """An empty working folder (quarterdeck.toml is looked for in the working folder)."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def write_toml(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


FULL_TOML = """
db = "from-file.duckdb"
jobs = 3
timezone = "Europe/Paris"

[git]
refs = ["refs/heads"]
batch_commits = 500

[identities]
bot_patterns = ["^file-bot"]
extra_bot_patterns = ["^extra-file-bot"]
"""


# -- resolution order, in process --------------------------------------------------------------


def test_defaults(workdir):
    settings = load_settings(cli={}, env={})
    assert settings == Settings(
        db=Path("quarterdeck.duckdb"),
        jobs=os.cpu_count() or 1,
        timezone="UTC",
        git_refs=DEFAULT_GIT_REFS,
        bot_patterns=DEFAULT_BOT_PATTERNS,
        extra_bot_patterns=(),
        batch_commits=5000,
        config_file=None,
    )
    assert settings.all_bot_patterns() == DEFAULT_BOT_PATTERNS


def test_config_file_in_the_working_folder(workdir):
    write_toml(workdir / "quarterdeck.toml", FULL_TOML)
    settings = load_settings(cli={}, env={})
    assert settings == Settings(
        db=Path("from-file.duckdb"),
        jobs=3,
        timezone="Europe/Paris",
        git_refs=("refs/heads",),
        bot_patterns=("^file-bot",),
        extra_bot_patterns=("^extra-file-bot",),
        batch_commits=500,
        config_file=Path("quarterdeck.toml"),
    )
    assert settings.all_bot_patterns() == ("^file-bot", "^extra-file-bot")


ENV = {
    "QUARTERDECK_DB": "from-env.duckdb",
    "QUARTERDECK_JOBS": "5",
    "QUARTERDECK_TIMEZONE": "America/New_York",
    "QUARTERDECK_GIT_REFS": "refs/heads/main, refs/tags",
    "QUARTERDECK_BOT_PATTERNS": "^env-bot\n^other-env-bot\n",
    "QUARTERDECK_EXTRA_BOT_PATTERNS": "^extra-env-bot",
    "QUARTERDECK_BATCH_COMMITS": "300",
}


def test_environment_beats_the_config_file(workdir):
    write_toml(workdir / "quarterdeck.toml", FULL_TOML)
    settings = load_settings(cli={}, env=ENV)
    assert settings == Settings(
        db=Path("from-env.duckdb"),
        jobs=5,
        timezone="America/New_York",
        git_refs=("refs/heads/main", "refs/tags"),
        bot_patterns=("^env-bot", "^other-env-bot"),
        extra_bot_patterns=("^extra-env-bot",),
        batch_commits=300,
        config_file=Path("quarterdeck.toml"),
    )


def test_flags_beat_the_environment(workdir):
    write_toml(workdir / "quarterdeck.toml", FULL_TOML)
    settings = load_settings(cli={"db": Path("flag.duckdb"), "jobs": 7, "git_refs": ("refs/remotes",)}, env=ENV)
    assert (settings.db, settings.jobs, settings.git_refs) == (Path("flag.duckdb"), 7, ("refs/remotes",))
    assert settings.timezone == "America/New_York"  # no flag: the environment still decides
    # flags not given (None or empty) do not hide lower levels
    settings = load_settings(cli={"db": None, "jobs": None, "git_refs": ()}, env=ENV)
    assert (settings.db, settings.jobs, settings.git_refs) == (
        Path("from-env.duckdb"),
        5,
        ("refs/heads/main", "refs/tags"),
    )


def test_empty_environment_values_fall_through(workdir):
    write_toml(workdir / "quarterdeck.toml", FULL_TOML)
    settings = load_settings(cli={}, env={"QUARTERDECK_JOBS": "", "QUARTERDECK_TIMEZONE": ""})
    assert (settings.jobs, settings.timezone) == (3, "Europe/Paris")


@pytest.mark.parametrize(
    ("name", "toml", "env_var", "env_value", "flag", "default", "expected"),
    [
        (
            "db",
            'db = "f.duckdb"',
            "QUARTERDECK_DB",
            "e.duckdb",
            Path("c.duckdb"),
            Path("quarterdeck.duckdb"),
            (Path("f.duckdb"), Path("e.duckdb"), Path("c.duckdb")),
        ),
        ("jobs", "jobs = 2", "QUARTERDECK_JOBS", "4", 6, os.cpu_count() or 1, (2, 4, 6)),
        (
            "timezone",
            'timezone = "Asia/Tokyo"',
            "QUARTERDECK_TIMEZONE",
            "Europe/Berlin",
            None,
            "UTC",
            ("Asia/Tokyo", "Europe/Berlin", None),
        ),
        (
            "bot_patterns",
            '[identities]\nbot_patterns = ["^a"]',
            "QUARTERDECK_BOT_PATTERNS",
            "^b",
            None,
            DEFAULT_BOT_PATTERNS,
            (("^a",), ("^b",), None),
        ),
    ],
)
def test_each_level_in_turn(workdir, name, toml, env_var, env_value, flag, default, expected):
    from_file, from_env, from_flag = expected
    assert getattr(load_settings(cli={}, env={}), name) == default
    write_toml(workdir / "quarterdeck.toml", toml + "\n")
    assert getattr(load_settings(cli={}, env={}), name) == from_file
    assert getattr(load_settings(cli={}, env={env_var: env_value}), name) == from_env
    if flag is not None:
        assert getattr(load_settings(cli={name: flag}, env={env_var: env_value}), name) == from_flag


def test_which_config_file(workdir, tmp_path):
    write_toml(workdir / "quarterdeck.toml", "jobs = 2\n")
    named_by_env = write_toml(tmp_path / "env.toml", "jobs = 3\n")
    named_by_flag = write_toml(tmp_path / "flag.toml", "jobs = 4\n")
    assert load_settings(cli={}, env={}).jobs == 2
    settings = load_settings(cli={}, env={"QUARTERDECK_CONFIG": str(named_by_env)})
    assert (settings.jobs, settings.config_file) == (3, named_by_env)
    settings = load_settings(cli={}, env={"QUARTERDECK_CONFIG": str(named_by_env)}, config_path=named_by_flag)
    assert (settings.jobs, settings.config_file) == (4, named_by_flag)
    # a named file replaces the working folder's, it is not merged with it
    write_toml(named_by_flag, 'timezone = "Asia/Tokyo"\n')
    settings = load_settings(cli={}, env={}, config_path=named_by_flag)
    assert (settings.jobs, settings.timezone) == (os.cpu_count() or 1, "Asia/Tokyo")


def test_a_named_config_file_that_does_not_exist(workdir, tmp_path):
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError, match=r"nope\.toml: config file not found"):
        load_settings(cli={}, env={}, config_path=missing)
    with pytest.raises(ConfigError, match=r"nope\.toml: config file named by QUARTERDECK_CONFIG not found"):
        load_settings(cli={}, env={"QUARTERDECK_CONFIG": str(missing)})


# -- resolution order through the command line ----------------------------------------------------


def db_named_in_error(result) -> str:
    """`quarterdeck identities` on a missing warehouse names the warehouse path it resolved."""
    assert result.returncode != 0
    line = result.stderr.strip()
    assert line.startswith("error: ") and "no warehouse here yet" in line, line
    return line[len("error: ") : line.index(": no warehouse")]


def test_db_path_resolution_on_the_command_line(tmp_path, quarterdeck):
    work = tmp_path / "work"
    work.mkdir()
    assert db_named_in_error(quarterdeck("identities", cwd=work)) == "quarterdeck.duckdb"
    write_toml(work / "quarterdeck.toml", 'db = "file.duckdb"\n')
    assert db_named_in_error(quarterdeck("identities", cwd=work)) == "file.duckdb"
    env = {"QUARTERDECK_DB": "env.duckdb"}
    assert db_named_in_error(quarterdeck("identities", cwd=work, env=env)) == "env.duckdb"
    # the flag after the command and before it
    assert db_named_in_error(quarterdeck("identities", "--db", "flag.duckdb", cwd=work, env=env)) == "flag.duckdb"
    assert db_named_in_error(quarterdeck("--db", "root.duckdb", "identities", cwd=work, env=env)) == "root.duckdb"
    # another config file, by flag or by environment
    other = write_toml(tmp_path / "other.toml", 'db = "other.duckdb"\n')
    assert db_named_in_error(quarterdeck("identities", "--config", str(other), cwd=work)) == "other.duckdb"
    assert db_named_in_error(quarterdeck("--config", str(other), "identities", cwd=work)) == "other.duckdb"
    env = {"QUARTERDECK_CONFIG": str(other)}
    assert db_named_in_error(quarterdeck("identities", cwd=work, env=env)) == "other.duckdb"
    assert sorted(p.name for p in work.iterdir()) == ["quarterdeck.toml"]  # reading created nothing


def explained_timezone(result) -> str:
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[1]
    assert first.startswith("-- window: "), result.stdout[:300]
    return first.rsplit("time zone ", 1)[1]


def test_timezone_resolution_on_the_command_line(tmp_path, quarterdeck):
    work = tmp_path / "work"
    work.mkdir()
    explain = ("metrics", "show", "commits", "--explain")
    assert explained_timezone(quarterdeck(*explain, cwd=work)) == "UTC"
    write_toml(work / "quarterdeck.toml", 'timezone = "Europe/Paris"\n')
    assert explained_timezone(quarterdeck(*explain, cwd=work)) == "Europe/Paris"
    env = {"QUARTERDECK_TIMEZONE": "America/Chicago"}
    assert explained_timezone(quarterdeck(*explain, cwd=work, env=env)) == "America/Chicago"


def test_bot_patterns_resolution_on_the_command_line(make_repo, tmp_path, quarterdeck):
    repo = make_repo("bots")
    for i, who in enumerate((ALICE, CI_BOT, RELEASER)):
        repo.write(f"f{i}.txt", f"{i}\n")
        repo.commit(f"c{i}", f"2024-01-0{i + 1}T00:00:00+00:00", author=who)
    work = tmp_path / "work"
    work.mkdir()
    db = tmp_path / "w.duckdb"

    def bots(env=None) -> list[tuple[str, str]]:
        result = quarterdeck("--db", str(db), "ingest", "git", str(repo.path), "--format", "json", cwd=work, env=env)
        assert result.returncode == 0, result.stderr
        result = quarterdeck("identities", "--bots", "--db", str(db), "--format", "json", cwd=work, env=env)
        assert result.returncode == 0, result.stderr
        return sorted((r["email"], r["bot_rule"]) for r in json.loads(result.stdout))

    assert bots() == []  # the defaults flag neither
    write_toml(work / "quarterdeck.toml", '[identities]\nextra_bot_patterns = ["^ci-runner <"]\n')
    assert bots() == [("ci@example.com", "^ci-runner <")]
    env = {"QUARTERDECK_EXTRA_BOT_PATTERNS": "^release-train\n"}
    assert bots(env) == [("release@example.com", "^release-train")]
    # bot_patterns replaces the defaults; extra_bot_patterns adds to them
    write_toml(work / "quarterdeck.toml", '[identities]\nbot_patterns = ["@example\\\\.com>$"]\n')
    assert bots() == [
        ("alice@example.com", r"@example\.com>$"),
        ("ci@example.com", r"@example\.com>$"),
        ("release@example.com", r"@example\.com>$"),
    ]
    assert bots({"QUARTERDECK_BOT_PATTERNS": "^ci-runner"}) == [("ci@example.com", "^ci-runner")]


# -- invalid settings --------------------------------------------------------------------------


def config_error(result) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    message = result.stderr.strip()
    assert "\n" not in message, f"expected one line, got:\n{message}"
    assert message.startswith("error: ") and "Traceback" not in message
    return message


def test_invalid_toml_names_the_file_and_line(tmp_path, quarterdeck):
    work = tmp_path / "work"
    work.mkdir()
    write_toml(work / "quarterdeck.toml", 'db = "w.duckdb"\njobs = \n')
    message = config_error(quarterdeck("identities", cwd=work))
    assert "quarterdeck.toml: not valid TOML" in message and "line 2" in message
    other = write_toml(tmp_path / "other.toml", "[git\n")
    message = config_error(quarterdeck("--config", str(other), "identities", cwd=work))
    assert f"{other}: not valid TOML" in message and "line 1" in message
    message = config_error(quarterdeck("identities", cwd=work, env={"QUARTERDECK_CONFIG": str(other)}))
    assert f"{other}: not valid TOML" in message


def test_missing_config_file_named_on_the_command_line(tmp_path, quarterdeck):
    missing = tmp_path / "missing.toml"
    message = config_error(quarterdeck("--config", str(missing), "identities", cwd=tmp_path))
    assert f"{missing}: config file not found" in message


def settings_error(**kwargs) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(**kwargs)
    message = str(caught.value)
    assert "\n" not in message, f"expected one line, got:\n{message}"
    return message


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("jobs = 0\n", "setting 'jobs' must be a whole number of at least 1"),
        ("jobs = -2\n", "setting 'jobs' must be a whole number of at least 1"),
        ('jobs = "many"\n', "setting 'jobs' must be a whole number of at least 1"),
        ("jobs = true\n", "setting 'jobs' must be a whole number of at least 1"),
        ("jobs = 2.5\n", "setting 'jobs' must be a whole number of at least 1"),
        ("[git]\nbatch_commits = 0\n", "setting 'git.batch_commits'"),
        ('timezone = "Mars/Olympus_Mons"\n', "'timezone'"),
        (
            '[identities]\nbot_patterns = "not a list"\n',
            "setting 'identities.bot_patterns' must be a list of strings",
        ),
        ('[identities]\nbot_patterns = ["(unclosed"]\n', "bot_patterns"),
        ('[identities]\nextra_bot_patterns = ["[z-a]"]\n', "extra_bot_patterns"),
        ('[git]\nrefs = "refs/heads"\n', "setting 'git.refs' must be a list of strings"),
        ("[privacy]\nmin_group_size = 1\n", "setting 'privacy.min_group_size' must be at least 2"),
        ('[identities]\nlink_by_name = "maybe"\n', "setting 'identities.link_by_name' must be true or false"),
    ],
)
def test_invalid_value_in_the_config_file_names_the_file_and_setting(workdir, toml, expected):
    write_toml(workdir / "quarterdeck.toml", toml)
    message = settings_error(cli={}, env={})
    assert expected in message, message
    assert "quarterdeck.toml" in message, f"the error does not name the file: {message}"


def test_invalid_value_in_the_config_file_on_the_command_line(tmp_path, quarterdeck):
    work = tmp_path / "work"
    work.mkdir()
    write_toml(work / "quarterdeck.toml", "jobs = 0\n")
    message = config_error(quarterdeck("identities", cwd=work))
    assert message == "error: quarterdeck.toml: setting 'jobs' must be a whole number of at least 1, got 0"
    write_toml(work / "quarterdeck.toml", 'timezone = "Mars/Olympus_Mons"\n')
    message = config_error(quarterdeck("metrics", "show", "commits", "--explain", cwd=work))
    assert "unknown time zone 'Mars/Olympus_Mons'" in message
    assert sorted(p.name for p in work.iterdir()) == ["quarterdeck.toml"]


@pytest.mark.parametrize(
    ("var", "value", "expected"),
    [
        ("QUARTERDECK_JOBS", "0", "jobs"),
        ("QUARTERDECK_JOBS", "two", "jobs"),
        ("QUARTERDECK_TIMEZONE", "Not/AZone", "Not/AZone"),
        ("QUARTERDECK_BOT_PATTERNS", "(oops", "(oops"),
        ("QUARTERDECK_BATCH_COMMITS", "-1", "batch_commits"),
        ("QUARTERDECK_MIN_GROUP_SIZE", "1", "must be at least 2"),
        ("QUARTERDECK_LINK_IDENTITIES_BY_NAME", "sometimes", "true or false"),
    ],
)
def test_invalid_value_in_the_environment(workdir, var, value, expected):
    message = settings_error(cli={}, env={var: value})
    assert expected in message, message
    # with a valid config file present, the error must not blame that file
    write_toml(workdir / "quarterdeck.toml", 'timezone = "UTC"\njobs = 2\n')
    message = settings_error(cli={}, env={var: value})
    assert expected in message, message
    assert "quarterdeck.toml" not in message, f"an environment value is blamed on the config file: {message}"


def test_invalid_value_in_the_environment_on_the_command_line(tmp_path, quarterdeck):
    message = config_error(quarterdeck("identities", cwd=tmp_path, env={"QUARTERDECK_JOBS": "0"}))
    assert "QUARTERDECK_JOBS (setting 'jobs') must be a whole number of at least 1, got '0'" in message
    message = config_error(quarterdeck("identities", cwd=tmp_path, env={"QUARTERDECK_BOT_PATTERNS": "(oops"}))
    assert "'(oops' is not a valid regular expression" in message
    assert list(tmp_path.iterdir()) == []


def test_invalid_flag_is_not_blamed_on_the_config_file(make_repo, tmp_path, quarterdeck):
    repo = make_repo()
    repo.write("a", "a\n")
    repo.commit("a", "2024-01-01T00:00:00+00:00")
    work = tmp_path / "work"
    work.mkdir()
    args = ("--db", str(tmp_path / "w.duckdb"), "ingest", "git", str(repo.path), "--jobs", "0")
    message = config_error(quarterdeck(*args, cwd=work))
    assert "'jobs'" in message or "--jobs" in message
    write_toml(work / "quarterdeck.toml", "jobs = 2\n")
    message = config_error(quarterdeck(*args, cwd=work))
    assert "quarterdeck.toml" not in message, f"a flag is blamed on the config file: {message}"
    assert not (tmp_path / "w.duckdb").exists()
