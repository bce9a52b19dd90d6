"""Ruby: Gemfile (``gem 'rails', '~> 7.1'``, groups) and Gemfile.lock."""

from __future__ import annotations

import re

from quarterdeck.sources.stack.model import DEV, RUNTIME, Declared, ManifestError, ManifestRead

_GEM = re.compile(r"""^\s*gem\s+['"]([^'"]+)['"]((?:\s*,\s*['"][^'"]*['"])*)(.*)$""")
_GROUP = re.compile(r"^\s*group\s+(.+?)\s+do\s*$")
_SPEC = re.compile(r"""['"]([^'"]*)['"]""")
DEV_GROUPS = ("development", "test")


def read_gemfile(path: str, text: str) -> ManifestRead:
    found = ManifestRead()
    groups: list[bool] = []  # is each open block a development/test group
    for line in text.splitlines():
        stripped = line.strip()
        group = _GROUP.match(line)
        if group:
            names = re.findall(r":(\w+)|['\"](\w+)['\"]", group[1])
            groups.append(all((a or b) in DEV_GROUPS for a, b in names) and bool(names))
            continue
        if re.match(r"^(if|unless|platforms?|source|install_if)\b.*\bdo\b", stripped) or stripped.endswith(" do"):
            groups.append(groups[-1] if groups else False)
            continue
        if stripped == "end":
            if not groups:
                raise ManifestError("an 'end' closes no block")
            groups.pop()
            continue
        gem = _GEM.match(line)
        if gem:
            specs = _SPEC.findall(gem[2])
            dev = (groups and groups[-1]) or re.search(r"group:\s*\[?\s*:(development|test)", gem[3] or "")
            found.dependencies.append(Declared(gem[1], ", ".join(specs) or None, DEV if dev else RUNTIME))
    if groups:
        raise ManifestError(f"{len(groups)} block(s) never closed with 'end'")
    return found


_LOCKED = re.compile(r"^    ([^\s(]+) \(([^)]+)\)$")


def lock_gemfile(text: str) -> dict[str, list[str]]:
    """gem -> versions from the lock's ``specs:`` lists (four spaces in)."""
    versions: dict[str, list[str]] = {}
    if "specs:" not in text:
        raise ManifestError("no 'specs:' section: not a Gemfile.lock")
    for line in text.splitlines():
        match = _LOCKED.match(line)
        if match:
            version = match[2].split("-", 1)[0] if re.search(r"-(x86|arm|aarch|java|universal)", match[2]) else match[2]
            if version not in versions.setdefault(match[1], []):
                versions[match[1]].append(version)
    return versions
