"""Licences: a licence file's text told to an SPDX id by key phrases, a declared licence
name normalised to an SPDX id, and how strongly an SPDX id is copyleft.

Phrases are checked in order (the first match wins): the GNU licences' titles come before
the GPL, since "GNU Lesser General Public License" also contains "General Public License".
"""

from __future__ import annotations

import re

UNKNOWN = "unknown"

#: (SPDX id, phrases that must all appear, lower case, whitespace collapsed).
TEXT_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("AGPL-3.0", ("gnu affero general public license", "version 3")),
    ("LGPL-3.0", ("gnu lesser general public license", "version 3")),
    ("LGPL-2.1", ("gnu lesser general public license", "version 2.1")),
    ("LGPL-2.0", ("gnu library general public license", "version 2")),
    ("GPL-3.0", ("gnu general public license", "version 3")),
    ("GPL-2.0", ("gnu general public license", "version 2")),
    ("MPL-2.0", ("mozilla public license", "2.0")),
    ("EPL-2.0", ("eclipse public license", "2.0")),
    ("EPL-1.0", ("eclipse public license", "1.0")),
    ("EUPL-1.2", ("european union public licence", "1.2")),
    ("CDDL-1.0", ("common development and distribution license",)),
    ("SSPL-1.0", ("server side public license",)),
    ("Apache-2.0", ("apache license", "version 2.0")),
    ("Unlicense", ("free and unencumbered software released into the public domain",)),
    ("CC0-1.0", ("cc0 1.0 universal",)),
    ("BSL-1.0", ("boost software license",)),
    ("ISC", ("permission to use, copy, modify, and/or distribute this software for any purpose",)),
    ("MIT", ("permission is hereby granted, free of charge",)),
    ("BSD-3-Clause", ("redistribution and use in source and binary forms", "neither the name")),
    ("BSD-2-Clause", ("redistribution and use in source and binary forms",)),
    ("Zlib", ("this software is provided 'as-is'", "altered source versions must be plainly marked")),
)

#: Strong copyleft: a combined work must be released under the same licence.
STRONG = ("GPL-", "AGPL-", "SSPL-", "EUPL-", "OSL-")
#: Weak copyleft: changes to the licensed files themselves must be shared (file or library level).
WEAK = ("LGPL-", "MPL-", "EPL-", "CDDL-", "CPL-", "MS-RL")

#: Names people write in manifests, lower case -> SPDX id.
ALIASES: dict[str, str] = {
    "mit license": "MIT",
    "the mit license": "MIT",
    "apache 2.0": "Apache-2.0",
    "apache-2": "Apache-2.0",
    "apache 2": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0",
    "the apache software license, version 2.0": "Apache-2.0",
    "asl 2.0": "Apache-2.0",
    "bsd": "BSD-3-Clause",
    "bsd license": "BSD-3-Clause",
    "new bsd license": "BSD-3-Clause",
    "simplified bsd license": "BSD-2-Clause",
    "gplv2": "GPL-2.0",
    "gplv3": "GPL-3.0",
    "gpl-2.0-only": "GPL-2.0",
    "gpl-2.0-or-later": "GPL-2.0",
    "gpl-3.0-only": "GPL-3.0",
    "gpl-3.0-or-later": "GPL-3.0",
    "agpl-3.0-only": "AGPL-3.0",
    "agpl-3.0-or-later": "AGPL-3.0",
    "agplv3": "AGPL-3.0",
    "lgpl-2.1-only": "LGPL-2.1",
    "lgpl-2.1-or-later": "LGPL-2.1",
    "lgpl-3.0-only": "LGPL-3.0",
    "lgpl-3.0-or-later": "LGPL-3.0",
    "lgplv3": "LGPL-3.0",
    "mozilla public license 2.0": "MPL-2.0",
    "eclipse public license 2.0": "EPL-2.0",
    "eclipse public license - v 2.0": "EPL-2.0",
    "isc license": "ISC",
    "unlicense": "Unlicense",
    "public domain": "Unlicense",
}

#: SPDX ids as they are spelled, by lower case (for ids written in another case).
_KNOWN_IDS = {spdx.lower(): spdx for spdx, _ in TEXT_RULES} | {
    "gpl-2.0+": "GPL-2.0",
    "gpl-3.0+": "GPL-3.0",
    "lgpl-2.1+": "LGPL-2.1",
    "0bsd": "0BSD",
    "cc-by-4.0": "CC-BY-4.0",
    "python-2.0": "Python-2.0",
    "psf-2.0": "PSF-2.0",
    "wtfpl": "WTFPL",
    "artistic-2.0": "Artistic-2.0",
}
_SPACE = re.compile(r"\s+")
_CLASSIFIER = re.compile(r"License :: OSI Approved :: (.+)$")


def licence_of_text(text: str) -> str:
    """The SPDX id of a licence file's text, by key phrases ('unknown': none matches)."""
    flat = _SPACE.sub(" ", text.lower())
    for spdx, phrases in TEXT_RULES:
        if all(p in flat for p in phrases):
            return spdx
    return UNKNOWN


def normalise(declared: str | None) -> str | None:
    """An SPDX id for a licence as a manifest writes it ('MIT', 'Apache 2.0', 'GPL-3.0-only',
    a trove classifier); an expression ('MIT OR Apache-2.0') is kept as written, its ids
    normalised; None when nothing is declared."""
    if declared is None:
        return None
    text = declared.strip()
    if not text:
        return None
    classifier = _CLASSIFIER.search(text)
    if classifier:
        text = classifier[1].strip()
    if re.search(r"\s(OR|AND|WITH)\s", text):
        parts = re.split(r"(\s+(?:OR|AND|WITH)\s+|[()])", text)
        return "".join(p if re.fullmatch(r"\s+(?:OR|AND|WITH)\s+|[()]|\s*", p) else _one(p) for p in parts)
    return _one(text)


def _one(text: str) -> str:
    key = text.strip().lower()
    if key in ALIASES:
        return ALIASES[key]
    if key in _KNOWN_IDS:
        return _KNOWN_IDS[key]
    simple = re.sub(r"-(only|or-later)$", "", key)
    if simple in _KNOWN_IDS:
        return _KNOWN_IDS[simple]
    return text.strip()


def copyleft(spdx: str | None) -> str:
    """'strong', 'weak' or 'none' for an SPDX id or expression. An expression offering a
    choice ('MIT OR GPL-3.0') is as copyleft as its least copyleft choice; one combining
    licences ('MIT AND GPL-3.0') as its most."""
    if not spdx or spdx == UNKNOWN:
        return "none"
    if " OR " in spdx:
        return min((copyleft(p.strip("() ")) for p in spdx.split(" OR ")), key=_RANK.index)
    if " AND " in spdx:
        return max((copyleft(p.strip("() ")) for p in spdx.split(" AND ")), key=_RANK.index)
    upper = spdx.upper()
    if upper.startswith(tuple(w.upper() for w in WEAK)):
        return "weak"
    if upper.startswith(tuple(s.upper() for s in STRONG)):
        return "strong"
    return "none"


_RANK = ["none", "weak", "strong"]
