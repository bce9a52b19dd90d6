""".NET: project files (*.csproj, *.fsproj, *.vbproj), packages.config, and central
package versions (Directory.Packages.props)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from quarterdeck.sources.stack.licences import normalise
from quarterdeck.sources.stack.model import DEV, RUNTIME, Declared, ManifestError, ManifestRead

#: Packages that only build or test.
DEV_PREFIXES = ("microsoft.net.test.sdk", "xunit", "nunit", "mstest", "coverlet", "moq", "fluentassertions")
WEB_SDKS = ("Microsoft.NET.Sdk.Web", "Microsoft.NET.Sdk.BlazorWebAssembly", "Microsoft.NET.Sdk.Razor")


def _xml(text: str) -> ET.Element:
    try:
        return ET.fromstring(text.lstrip("\ufeff"))
    except ET.ParseError as exc:
        raise ManifestError(f"not well-formed XML: {exc}") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attribute(element: ET.Element, name: str) -> str | None:
    value = element.get(name)
    if value is None:
        for child in element:
            if _local(child.tag) == name and child.text:
                return child.text.strip()
    return value


def read_project(path: str, text: str) -> ManifestRead:
    root = _xml(text)
    if _local(root.tag) != "Project":
        raise ManifestError(f"not a project file: the root element is <{_local(root.tag)}>, expected <Project>")
    found = ManifestRead()
    sdk = root.get("Sdk")
    if sdk in WEB_SDKS:
        found.frameworks.append(("asp.net-core", None))
    for element in root.iter():
        if _local(element.tag) != "PackageReference":
            continue
        name = element.get("Include") or element.get("Update")
        if not name:
            continue
        scope = DEV if name.lower().startswith(DEV_PREFIXES) or element.get("PrivateAssets") == "all" else RUNTIME
        found.dependencies.append(Declared(name, _attribute(element, "Version"), scope))
    for element in root.iter():
        if _local(element.tag) == "PackageLicenseExpression" and element.text:
            found.licences.append(normalise(element.text) or element.text.strip())
    return found


def read_packages_config(path: str, text: str) -> ManifestRead:
    root = _xml(text)
    if _local(root.tag) != "packages":
        raise ManifestError(f"not a packages.config: the root element is <{_local(root.tag)}>, expected <packages>")
    found = ManifestRead()
    for element in root:
        if _local(element.tag) == "package" and element.get("id"):
            scope = DEV if element.get("developmentDependency") == "true" else RUNTIME
            found.dependencies.append(Declared(element.get("id") or "", element.get("version"), scope))
    return found


def lock_central_versions(text: str) -> dict[str, list[str]]:
    """Directory.Packages.props: the version each package is pinned to for every project
    below it (central package management)."""
    root = _xml(text)
    versions: dict[str, list[str]] = {}
    for element in root.iter():
        if _local(element.tag) == "PackageVersion" and element.get("Include") and element.get("Version"):
            versions.setdefault((element.get("Include") or "").lower(), []).append(element.get("Version") or "")
    return versions
