"""The inventory's parsers on the formats the test repositories (tests/stack_repos.py) do not
hold: yarn Berry, pnpm, package-lock v1, Pipfile and its lock, poetry.lock, setup.cfg, SPDX
SBOMs, licence texts, copyleft of licence expressions, shebangs. Expected values by hand."""

from __future__ import annotations

import json

import pytest

from quarterdeck.sources.stack import dotnet, go, javascript, jvm, python, ruby
from quarterdeck.sources.stack.inventory import TreeFile, build
from quarterdeck.sources.stack.languages import language_of_shebang
from quarterdeck.sources.stack.licences import copyleft, licence_of_text, normalise
from quarterdeck.sources.stack.model import DEV, RUNTIME, Declared, ManifestError
from quarterdeck.sources.stack.sbom import read_sbom


def test_yarn_berry_and_classic_keys_resolve_each_spec() -> None:
    berry = (
        '__metadata:\n  version: 6\n\n"react@npm:^18.2.0":\n  version: 18.2.0\n  resolution: "react@npm:18.2.0"\n\n'
        '"@babel/core@npm:^7.0.0, @babel/core@npm:^7.1.0":\n  version: 7.23.5\n'
    )
    found = javascript.lock_yarn(berry)
    assert found["react@^18.2.0"] == ["18.2.0"] and found["@babel/core@^7.1.0"] == ["7.23.5"]
    assert found["@babel/core"] == ["7.23.5"]
    with pytest.raises(ManifestError, match="line 1: expected an entry ending with ':'"):
        javascript.lock_yarn("react@^18 version 1\n")


def test_pnpm_and_package_lock_v1() -> None:
    pnpm = "lockfileVersion: '6.0'\nimporters:\n  .:\n    dependencies:\n      vue:\n        specifier: ^3.3.0\n" \
           "        version: 3.3.8(typescript@5.2.2)\n"  # fmt: skip
    assert javascript.lock_pnpm(pnpm) == {"vue": ["3.3.8"]}
    assert javascript.lock_pnpm("dependencies:\n  lodash: 4.17.21\n") == {"lodash": ["4.17.21"]}  # pnpm 5
    v1 = {"lockfileVersion": 1, "dependencies": {"lodash": {"version": "4.17.21"}}}
    assert javascript.lock_package_lock(json.dumps(v1)) == {"lodash": ["4.17.21"]}
    with pytest.raises(ManifestError, match="not valid YAML"):
        javascript.lock_pnpm("importers: [\n")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )  # a billion values from a few lines: refused before anything is built
    with pytest.raises(ManifestError, match="not valid YAML"):
        javascript.lock_pnpm(bomb)


def test_python_manifests_and_locks() -> None:
    pipfile = '[packages]\nflask = "==3.0.0"\nrequests = "*"\n[dev-packages]\npytest = {version = ">=7"}\n'
    assert python.read_pipfile("Pipfile", pipfile).dependencies == [
        Declared("flask", "==3.0.0", RUNTIME), Declared("requests", None, RUNTIME), Declared("pytest", ">=7", DEV),
    ]  # fmt: skip
    lock = {"default": {"flask": {"version": "==3.0.0"}}, "develop": {"pytest": {"version": "==7.4.3"}}}
    assert python.lock_pipfile(json.dumps(lock)) == {"flask": ["3.0.0"], "pytest": ["7.4.3"]}
    poetry = '[tool.poetry]\nlicense = "Apache-2.0"\n[tool.poetry.dependencies]\npython = "^3.11"\n' \
             'FastAPI = "^0.104"\n[tool.poetry.group.test.dependencies]\npytest = "^7"\n'  # fmt: skip
    read = python.read_pyproject("pyproject.toml", poetry)
    assert read.dependencies == [Declared("fastapi", "^0.104", RUNTIME), Declared("pytest", "^7", DEV)]
    assert read.licences == ["Apache-2.0"]
    assert python.lock_poetry_or_uv('[[package]]\nname = "FastAPI"\nversion = "0.104.1"\n') == {"fastapi": ["0.104.1"]}
    cfg = "[metadata]\nlicense = MIT\n[options]\ninstall_requires =\n    click>=8\n    pyyaml\n" \
          "[options.extras_require]\ntest = pytest\n"  # fmt: skip
    read = python.read_setup_cfg("setup.cfg", cfg)
    assert read.dependencies == [Declared("click", ">=8"), Declared("pyyaml", None), Declared("pytest", None, DEV)]
    assert read.licences == ["MIT"]
    with pytest.raises(ManifestError, match=r"not valid TOML: .*line 1"):
        python.read_pyproject("pyproject.toml", "[project\n")


def test_gradle_map_notation_gemfile_blocks_go_mod_and_central_versions() -> None:
    gradle = "dependencies {\n  implementation group: 'org.slf4j', name: 'slf4j-api', version: '2.0.9'\n}\n"
    assert jvm.read_gradle("build.gradle", gradle).dependencies == [Declared("org.slf4j:slf4j-api", "2.0.9")]
    with pytest.raises(ManifestError, match="unbalanced braces"):
        jvm.read_gradle("build.gradle", "dependencies {\n")
    with pytest.raises(ManifestError, match="1 block\\(s\\) never closed"):
        ruby.read_gemfile("Gemfile", "group :test do\n  gem 'rspec'\n")
    gems = ruby.read_gemfile("Gemfile", "gem 'puma', '>= 5', '< 7'\ngem 'pry', group: :development\n")
    assert gems.dependencies == [Declared("puma", ">= 5, < 7"), Declared("pry", None, DEV)]
    with pytest.raises(ManifestError, match="never closed"):
        go.read_go_mod("go.mod", "module x\nrequire (\n\tgithub.com/a/b v1.0.0\n")
    assert go.read_go_mod("go.mod", "module x\nrequire github.com/a/b v1.2.0\n").dependencies == [
        Declared("github.com/a/b", "v1.2.0")
    ]
    props = '<Project><ItemGroup><PackageVersion Include="Serilog" Version="3.1.1" /></ItemGroup></Project>'
    assert dotnet.lock_central_versions(props) == {"serilog": ["3.1.1"]}


def test_licence_texts_names_and_copyleft() -> None:
    assert licence_of_text("GNU LESSER GENERAL PUBLIC LICENSE\n Version 2.1, February 1999") == "LGPL-2.1"
    assert licence_of_text("GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007") == "AGPL-3.0"
    assert licence_of_text("Mozilla Public License Version 2.0\n==================") == "MPL-2.0"
    bsd3 = "Redistribution and use in source and binary forms ... Neither the name of the copyright holder"
    assert licence_of_text(bsd3) == "BSD-3-Clause"
    assert licence_of_text("Redistribution and use in source and binary forms, with or without") == "BSD-2-Clause"
    assert licence_of_text("Proprietary. All rights reserved.") == "unknown"
    assert normalise("GPL-3.0-or-later") == "GPL-3.0"
    assert normalise("License :: OSI Approved :: MIT License") == "MIT"
    assert normalise("(MIT OR Apache-2.0)") == "(MIT OR Apache-2.0)"
    assert [copyleft(x) for x in ("GPL-2.0", "AGPL-3.0", "LGPL-3.0", "MPL-2.0", "EPL-2.0", "MIT", None)] == [
        "strong", "strong", "weak", "weak", "weak", "none", "none",
    ]  # fmt: skip
    assert copyleft("MIT OR GPL-3.0") == "none"  # the user may choose MIT
    assert copyleft("MIT AND LGPL-2.1") == "weak"  # both apply


def test_shebangs() -> None:
    assert language_of_shebang(b"#!/usr/bin/env -S python3.11 -u") == "Python"
    assert language_of_shebang(b"#!/usr/bin/env node") == "JavaScript"
    assert language_of_shebang(b"#!/bin/bash -e") == "Shell"
    assert language_of_shebang(b"#!/usr/bin/env FOO=1 ruby") == "Ruby"
    assert language_of_shebang(b"# not a shebang") is None
    assert language_of_shebang(b"#!/usr/bin/env") is None


def test_an_spdx_sbom_gives_dependency_licences_and_a_bad_one_is_unreadable() -> None:
    spdx = {"spdxVersion": "SPDX-2.3", "packages": [{"name": "lodash", "licenseConcluded": "NOASSERTION",
                                                     "licenseDeclared": "MIT"}]}  # fmt: skip
    assert read_sbom(json.dumps(spdx)) == ("spdx", {"lodash": "MIT"})
    files = [TreeFile("package.json", 1), TreeFile("sbom.spdx.json", 1), TreeFile("bom.json", 1)]
    contents = {
        "package.json": json.dumps({"dependencies": {"lodash": "^4"}}).encode(),
        "sbom.spdx.json": json.dumps(spdx).encode(),
        "bom.json": b'{"nothing": 1}',
    }
    inventory = build("abc", files, contents, {})
    assert [(d.name, d.licence, d.licence_source) for d in inventory.dependencies] == [
        ("lodash", "MIT", "sbom.spdx.json")
    ]
    assert inventory.unreadable == [("bom.json", "neither CycloneDX ('bomFormat') nor SPDX ('spdxVersion')")]


def test_only_small_files_without_an_extension_are_read_for_a_shebang() -> None:
    from quarterdeck.sources.stack.inventory import MAX_SCRIPT_BYTES, wanted

    files = [TreeFile("bin/run", 3, size_bytes=40), TreeFile("data/dump", 9, size_bytes=MAX_SCRIPT_BYTES + 1),
             TreeFile("bin/tool", 2, is_binary=True), TreeFile("go.mod", 1), TreeFile("src/a.py", 5)]  # fmt: skip
    assert wanted(files) == (["go.mod"], ["bin/run"])


def test_vendored_python_metadata_gives_a_dependency_licence() -> None:
    metadata = "Metadata-Version: 2.1\nName: PyYAML\nVersion: 6.0.1\nLicense: MIT\n\nlong description"
    lgpl = (
        "Metadata-Version: 2.1\nName: chardet\nClassifier: License :: OSI Approved :: "
        "GNU Lesser General Public License v2 or later (LGPLv2+)\nLicense-Expression: LGPL-2.1-or-later\n"
    )
    files = [TreeFile("requirements.txt", 2), TreeFile("vendor/PyYAML-6.0.1.dist-info/METADATA", 5),
             TreeFile("vendor/chardet-5.2.0.dist-info/METADATA", 4)]  # fmt: skip
    contents = {"requirements.txt": b"pyyaml==6.0.1\nchardet\n",
                "vendor/PyYAML-6.0.1.dist-info/METADATA": metadata.encode(),
                "vendor/chardet-5.2.0.dist-info/METADATA": lgpl.encode()}  # fmt: skip
    inventory = build("abc", files, contents, {})
    assert [(d.name, d.licence) for d in inventory.dependencies] == [("pyyaml", "MIT"), ("chardet", "LGPL-2.1")]
    assert inventory.languages == []  # vendored: no language of the repository's
