"""Repositories with known manifests, one per ecosystem, for the tech-stack inventory tests
(docs/tech-stack.md). Every expected value of the tests is written here by hand beside the
files it comes from."""

from __future__ import annotations

import json
from pathlib import Path

from tests.gitrepo import Repo

MIT_TEXT = """MIT License

Copyright (c) 2024 Example

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction.
"""
GPL3_TEXT = """                    GNU GENERAL PUBLIC LICENSE
                       Version 3, 29 June 2007

 Copyright (C) 2007 Free Software Foundation, Inc. <https://fsf.org/>
"""
APACHE_TEXT = """                                 Apache License
                           Version 2.0, January 2004
                        http://www.apache.org/licenses/
"""

WHEN = "2024-03-01T10:00:00+00:00"


def py_api(root: Path) -> Repo:
    repo = Repo.create(root / "py-api")
    repo.write(
        "pyproject.toml",
        '[project]\nname = "py-api"\nlicense = "MIT"\n'
        'dependencies = ["Django>=4.2,<5", "requests==2.31.0", "mysql-connector-python>=8", "certifi>=2023"]\n'
        '[project.optional-dependencies]\ndev = ["pytest>=7"]\n',
    )
    repo.write(
        "uv.lock",
        'version = 1\n[[package]]\nname = "django"\nversion = "4.2.7"\n'
        '[[package]]\nname = "requests"\nversion = "2.31.0"\n'
        '[[package]]\nname = "pytest"\nversion = "7.4.3"\n',
    )
    repo.write("requirements-dev.txt", "# tools\nblack==23.1.0\n-r requirements.txt\n")
    repo.write("LICENSE", MIT_TEXT)
    repo.write("app/main.py", "import django\n\nprint(django)\n")  # 3 lines
    repo.write("bin/manage", "#!/usr/bin/env python3\nprint('manage')\n")  # 2 lines, Python by shebang
    repo.write("bin/run", "#!/bin/sh\necho run\nexit 0\n")  # 3 lines, Shell by shebang
    repo.write(".github/workflows/ci.yml", "on: push\njobs: {}\n")
    repo.write("Dockerfile", "FROM python:3.12\nCOPY . .\n")  # 2 lines, Dockerfile
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "components": [
            {"name": "Django", "version": "4.2.7", "licenses": [{"license": {"id": "BSD-3-Clause"}}]},
            {"name": "mysql-connector-python", "version": "8.2.0", "licenses": [{"license": {"id": "GPL-2.0-only"}}]},
            {"name": "certifi", "version": "2023.11.17", "licenses": [{"expression": "MPL-2.0"}]},
        ],
    }
    repo.write("bom.json", json.dumps(bom, indent=1))
    repo.commit("py-api", WHEN)
    return repo


def web(root: Path) -> Repo:
    repo = Repo.create(root / "web")
    package = {
        "name": "web",
        "license": "MIT",
        "dependencies": {"react": "^18.2.0", "express": "^4.18.2"},
        "devDependencies": {"jest": "^29.0.0"},
    }
    repo.write("package.json", json.dumps(package, indent=2))
    lock = {
        "name": "web",
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "web"},
            "node_modules/react": {"version": "18.2.0"},
            "node_modules/express": {"version": "4.18.2"},
            "node_modules/jest": {"version": "29.7.0"},
            "node_modules/foo/node_modules/react": {"version": "16.0.0"},
        },
    }
    repo.write("package-lock.json", json.dumps(lock, indent=2))
    repo.write("legacy/package.json", json.dumps({"name": "legacy", "dependencies": {"react": "^17.0.2"}}))
    repo.write(
        "legacy/yarn.lock",
        '# yarn lockfile v1\n\n"react@^17.0.2", react@^17.0.0:\n  version "17.0.2"\n  resolved "x"\n',
    )
    repo.write("node_modules/react/package.json", json.dumps({"name": "react", "license": "MIT"}))
    repo.write("node_modules/react/index.js", "module.exports = 1;\n")  # vendored: not counted
    repo.write("src/index.js", "const a = 1;\nconst b = 2;\nconst c = 3;\nexport { a, b, c };\n")  # 4 lines
    repo.write("src/app.ts", "export const x: number = 1;\nexport const y = 2;\n")  # 2 lines
    repo.write(".gitlab-ci.yml", "test:\n  script: npm test\n")
    repo.write("docker-compose.yml", "services:\n  web:\n    build: .\n")
    repo.commit("web", WHEN)
    return repo


def svc_go(root: Path) -> Repo:
    repo = Repo.create(root / "svc-go")
    repo.write(
        "go.mod",
        "module example.com/svc\n\ngo 1.21\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n"
        "\tgolang.org/x/text v0.14.0 // indirect\n)\n",
    )
    repo.write(
        "go.sum",
        "github.com/gin-gonic/gin v1.9.1 h1:abc=\ngithub.com/gin-gonic/gin v1.9.1/go.mod h1:def=\n"
        "golang.org/x/text v0.14.0 h1:ghi=\n",
    )
    repo.write("main.go", "package main\n\nfunc main() {\n}\n")  # 4 lines
    repo.write("Jenkinsfile", "pipeline {\n}\n")  # Groovy, 2 lines
    repo.write("k8s/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc\n")
    repo.write("k8s/notes.yaml", "owner: team\n")  # in a deployment folder, but no Kubernetes object
    repo.commit("svc-go", WHEN)
    return repo


def svc_java(root: Path) -> Repo:
    repo = Repo.create(root / "svc-java")
    repo.write(
        "pom.xml",
        """<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.1.5</version>
  </parent>
  <properties><junit.version>5.10.0</junit.version></properties>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-web</artifactId>
    </dependency>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <version>${junit.version}</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
  <licenses><license><name>Apache License, Version 2.0</name></license></licenses>
</project>
""",
    )
    repo.write(
        "tools/build.gradle.kts",
        'plugins {\n    id("org.springframework.boot") version "3.2.0"\n}\n'
        "val guavaVersion = \"32.1.2-jre\"\n"
        "dependencies {\n    implementation(\"com.google.guava:guava:$guavaVersion\")\n"
        "    testImplementation(\"junit:junit:4.13.2\")\n}\n",
    )
    repo.write("src/App.java", "class App {\n}\n")  # 2 lines
    repo.write("tools/Build.kt", "fun main() {}\n")  # 1 line
    repo.write(".circleci/config.yml", "version: 2.1\n")
    repo.write("LICENSE.txt", APACHE_TEXT)
    repo.commit("svc-java", WHEN)
    return repo


def svc_ruby(root: Path) -> Repo:
    repo = Repo.create(root / "svc-ruby")
    repo.write(
        "Gemfile",
        "source 'https://rubygems.org'\n\ngem 'rails', '~> 7.1'\n"
        "group :development, :test do\n  gem 'rspec-rails'\nend\n",
    )
    repo.write(
        "Gemfile.lock",
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    rails (7.1.2)\n      actionpack (= 7.1.2)\n"
        "    rspec-rails (6.1.0)\n\nDEPENDENCIES\n  rails (~> 7.1)\n  rspec-rails\n",
    )
    repo.write("COPYING", GPL3_TEXT)
    repo.write("app.rb", "puts 1\nputs 2\n")  # 2 lines
    repo.write("bin/task", "#!/usr/bin/env ruby\nputs 'task'\n")  # Ruby by shebang, 2 lines
    repo.write("bin/blob", b"\x00\x01binary")  # binary: not counted
    repo.commit("svc-ruby", WHEN)
    return repo


def svc_rust(root: Path) -> Repo:
    repo = Repo.create(root / "svc-rust")
    repo.write(
        "Cargo.toml",
        '[package]\nname = "svc"\nlicense = "MIT OR Apache-2.0"\n\n[dependencies]\nactix-web = "4"\n'
        'serde = { version = "1.0", features = ["derive"] }\n\n[dev-dependencies]\ncriterion = "0.5"\n',
    )
    repo.write(
        "Cargo.lock",
        'version = 3\n[[package]]\nname = "actix-web"\nversion = "4.4.0"\n'
        '[[package]]\nname = "serde"\nversion = "1.0.193"\n[[package]]\nname = "criterion"\nversion = "0.5.1"\n',
    )
    repo.write("src/main.rs", "fn main() {\n}\n")  # 2 lines
    repo.write("azure-pipelines.yml", "trigger: [main]\n")
    repo.write("chart/Chart.yaml", "apiVersion: v2\nname: svc\n")
    repo.write("chart/templates/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\n")
    repo.commit("svc-rust", WHEN)
    return repo


def svc_dotnet(root: Path) -> Repo:
    repo = Repo.create(root / "svc-dotnet")
    repo.write(
        "src/Api/Api.csproj",
        '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <ItemGroup>\n'
        '    <PackageReference Include="Newtonsoft.Json" />\n'
        '    <PackageReference Include="xunit" Version="2.6.1" />\n  </ItemGroup>\n</Project>\n',
    )
    repo.write(
        "Directory.Packages.props",
        '<Project>\n  <ItemGroup>\n    <PackageVersion Include="Newtonsoft.Json" Version="13.0.3" />\n'
        "  </ItemGroup>\n</Project>\n",
    )
    repo.write(
        "legacy/packages.config",
        '<?xml version="1.0"?>\n<packages>\n  <package id="log4net" version="2.0.15" />\n</packages>\n',
    )
    repo.write("src/Api/Program.cs", "var x = 1;\nConsole.WriteLine(x);\n")  # 2 lines
    repo.write("Dockerfile.api", "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n")  # 1 line
    repo.commit("svc-dotnet", WHEN)
    return repo


def broken(root: Path) -> Repo:
    repo = Repo.create(root / "broken")
    repo.write("package.json", '{ "name": "broken", "dependencies": {')
    repo.write("pom.xml", "<project><dependencies></project>")
    repo.write("services/api/requirements.txt", "flask==3.0.0\nrequests==2.28.0  # pinned\n")
    repo.write("services/api/setup.cfg", "[options\ninstall_requires = x\n")
    repo.write("LICENSE", "All rights reserved. Ask us before you use this.\n")
    repo.write("app.py", "print(1)\n")  # 1 line
    repo.commit("broken", WHEN)
    return repo


BUILDERS = (py_api, web, svc_go, svc_java, svc_ruby, svc_rust, svc_dotnet, broken)


def build_all(root: Path) -> dict[str, Repo]:
    """Every repository above under ``root``, by name."""
    root.mkdir(parents=True, exist_ok=True)
    return {repo.path.name: repo for repo in (builder(root) for builder in BUILDERS)}
