"""Java manifests: Maven's pom.xml and Gradle's build.gradle / build.gradle.kts.

A dependency is named ``group:artifact``. Maven versions written as ``${property}`` are
read from the pom's ``<properties>``; a parent pom (``spring-boot-starter-parent``) counts
as a dependency. Gradle build files are programs: the usual declarations
(``implementation "g:a:v"``, ``testImplementation("g:a:v")``, ``id "plugin" version "v"``)
are read line by line, anything computed is not.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from quarterdeck.sources.stack.licences import normalise
from quarterdeck.sources.stack.model import DEV, RUNTIME, Declared, ManifestError, ManifestRead

DEV_MAVEN_SCOPES = ("test",)
DEV_CONFIGURATIONS = ("test", "androidTest", "annotation", "kapt", "development")
_PROPERTY = re.compile(r"\$\{([^}]+)\}")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _text(element: ET.Element, name: str) -> str | None:
    child = _child(element, name)
    return child.text.strip() if child is not None and child.text and child.text.strip() else None


def read_pom(path: str, text: str) -> ManifestRead:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ManifestError(f"not well-formed XML: {exc}") from None
    if _local(root.tag) != "project":
        raise ManifestError(f"not a Maven pom: the root element is <{_local(root.tag)}>, expected <project>")
    properties = {}
    props = _child(root, "properties")
    if props is not None:
        properties = {_local(p.tag): (p.text or "").strip() for p in props}
    properties.setdefault("project.version", _text(root, "version") or "")

    def resolve(value: str | None) -> str | None:
        if value is None:
            return None
        return _PROPERTY.sub(lambda m: properties.get(m[1], m[0]), value)

    found = ManifestRead()
    parent = _child(root, "parent")
    if parent is not None and _text(parent, "artifactId"):
        found.dependencies.append(
            Declared(f"{_text(parent, 'groupId')}:{_text(parent, 'artifactId')}", resolve(_text(parent, "version")))
        )
    deps = _child(root, "dependencies")
    for dep in deps if deps is not None else []:
        if _local(dep.tag) != "dependency":
            continue
        name = f"{_text(dep, 'groupId')}:{_text(dep, 'artifactId')}"
        scope = DEV if (_text(dep, "scope") or "") in DEV_MAVEN_SCOPES else RUNTIME
        found.dependencies.append(Declared(name, resolve(_text(dep, "version")), scope))
    licences = _child(root, "licenses")
    for licence in licences if licences is not None else []:
        name = _text(licence, "name")
        if name:
            found.licences.append(normalise(name) or name)
    return found


_CONFIGURATIONS = (
    "implementation|api|compile|runtimeOnly|runtime|compileOnly|"
    "testImplementation|testRuntimeOnly|testCompile|testCompileOnly|androidTestImplementation|"
    "annotationProcessor|kapt|developmentOnly"
)
_GRADLE_DEP = re.compile(
    rf"^\s*({_CONFIGURATIONS})\s*\(?\s*[\"']([^\"':\s]+):([^\"':\s]+)(?::([^\"'@\s]+))?[^\"']*[\"']"
)
_GRADLE_MAP = re.compile(
    rf"^\s*({_CONFIGURATIONS})\s*\(?\s*group\s*[:=]\s*[\"']([^\"']+)[\"']\s*,\s*name\s*[:=]\s*[\"']([^\"']+)[\"']"
    r"(?:\s*,\s*version\s*[:=]\s*[\"']([^\"']+)[\"'])?"
)
_GRADLE_PLUGIN = re.compile(r"^\s*id\s*\(?\s*[\"']([^\"']+)[\"']\s*\)?\s*version\s*\(?\s*[\"']([^\"']+)[\"']")
_GRADLE_VAR = re.compile(r"^\s*(?:val|def|ext\.)?\s*(\w+)\s*=\s*[\"']([^\"']+)[\"']\s*$")


def read_gradle(path: str, text: str) -> ManifestRead:
    found = ManifestRead()
    variables: dict[str, str] = {}
    if text.count("{") != text.count("}"):
        raise ManifestError(f"unbalanced braces: {text.count('{')} '{{' and {text.count('}')} '}}'")
    for line in text.splitlines():
        var = _GRADLE_VAR.match(line)
        if var:
            variables[var[1]] = var[2]
        match = _GRADLE_DEP.match(line) or _GRADLE_MAP.match(line)
        if match:
            configuration, group, artifact, version = match.groups()
            if version:
                version = re.sub(r"\$\{?(\w+)\}?", lambda m: variables.get(m[1], m[0]), version)
            scope = DEV if configuration.startswith(DEV_CONFIGURATIONS) else RUNTIME
            found.dependencies.append(Declared(f"{group}:{artifact}", version, scope))
            continue
        plugin = _GRADLE_PLUGIN.match(line)
        if plugin:
            found.dependencies.append(Declared(plugin[1], plugin[2], DEV))
    return found
