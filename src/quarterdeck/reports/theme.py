"""The board pack's theme: the organization's name, logo, colours and font.

One theme file (``--theme theme.yaml``) styles every format of the pack, so the slides and
the HTML page (and the PDF printed from it) wear the same colours::

    name: Acme Corp
    logo: acme-logo.png          # PNG or JPEG, relative to this file
    font: Inter                  # a font family name
    colours:                     # each "#rrggbb", quoted: '#' starts a YAML comment
      primary: "#0b3d91"         # titles, headings, the first chart series
      accent: "#f2a900"          # the second chart series, rules under titles
      text: "#1c2430"
      background: "#ffffff"
      good: "#1e8a4c"            # status green: a target met
      warning: "#c98200"         # status amber
      bad: "#c62f2f"             # status red

Every key is optional: what is left out is Quarterdeck's own (:data:`DEFAULT_THEME`). Every
mistake is a ConfigError naming the file, the line and what was expected
(docs/board-pack-formats.md is the guide).
"""

from __future__ import annotations

import base64
import difflib
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from quarterdeck.config.yaml_files import LineLoader, LineMapping, read_yaml
from quarterdeck.core.errors import ConfigError

KEYS = ("name", "logo", "font", "colours")
COLOUR_KEYS = ("primary", "accent", "text", "background", "good", "warning", "bad")
#: A logo is drawn on the title slide and the page head; a bigger file is surely a mistake.
MAX_LOGO_BYTES = 5_000_000
#: The grey of a figure with no target: not a theme colour, the same in every theme.
GREY = "#8a939f"

_HEX = re.compile(r"#[0-9a-fA-F]{6}")
#: A font family name: letters, digits, spaces and a few signs (nothing that ends a CSS value).
_FONT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.\-]{0,63}")
_GUIDE = "see docs/board-pack-formats.md"
_IMAGE_KINDS = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@dataclass(frozen=True)
class Colours:
    """The theme's colours, each ``#rrggbb`` (lower case)."""

    primary: str = "#1c2430"
    accent: str = "#2f6fb0"
    text: str = "#1c2430"
    background: str = "#ffffff"
    good: str = "#1e8a4c"
    warning: str = "#c98200"
    bad: str = "#c62f2f"


@dataclass(frozen=True)
class Theme:
    """How the pack looks; :data:`DEFAULT_THEME` when no theme file is given."""

    name: str = "Quarterdeck"
    logo: Path | None = None  # absolute path of a PNG or JPEG file
    font: str = "Arial"
    colours: Colours = Colours()
    path: Path | None = None  # the theme file, None for the default

    def status_colour(self, status: str) -> str:
        """The colour of a figure's status (green, amber, red; anything else is grey)."""
        return {"green": self.colours.good, "amber": self.colours.warning, "red": self.colours.bad}.get(status, GREY)

    def series_colours(self) -> tuple[str, ...]:
        """The colours of a chart's series in order, in every format (repeat past the sixth)."""
        c = self.colours
        return (c.primary, c.accent, c.good, c.warning, c.bad, c.text)

    def css_variables(self) -> str:
        """A ``:root`` rule with the theme as CSS custom properties, for the HTML page.

        ``--primary``, ``--accent``, ``--text``, ``--background``, ``--good``, ``--warning``,
        ``--bad``, ``--font``; and the dashboard's status names ``--green``, ``--amber``,
        ``--red``, ``--grey`` and ``--ink`` set to the same colours."""
        c = self.colours
        pairs = [(key, getattr(c, key)) for key in COLOUR_KEYS]
        pairs += [("green", c.good), ("amber", c.warning), ("red", c.bad), ("grey", GREY), ("ink", c.text)]
        pairs.append(("font", f'"{self.font}", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'))
        return ":root { " + " ".join(f"--{key}: {value};" for key, value in pairs) + " }"

    def logo_data_uri(self) -> str:
        """The logo as a ``data:`` address, so a self-contained page can show it ("" without one)."""
        if self.logo is None:
            return ""
        data = self.logo.read_bytes()
        return f"data:{_image_type(data)};base64,{base64.b64encode(data).decode('ascii')}"


#: Quarterdeck's own theme: dark ink on white, the dashboard's status colours, no logo.
DEFAULT_THEME = Theme()


def read_theme(path: Path) -> Theme:
    """The theme in the file at ``path``; a ConfigError ``file:line: what was expected`` for
    any mistake (syntax, unknown key, a colour not ``#rrggbb``, a logo missing or not an image)."""
    path = Path(path)
    document = read_yaml(path, "theme file", LineLoader)
    if document is None:
        raise ConfigError(f"{path}:1: the theme file is empty; expected keys such as 'name:' and 'colours:' ({_GUIDE})")
    if not isinstance(document, LineMapping):
        raise ConfigError(f"{path}:1: expected a mapping with name, logo, font and colours ({_GUIDE})")
    _check_keys(path, document, KEYS, "a theme takes name, logo, font and colours")
    theme = Theme(path=path.resolve())
    where = {key: f"{path}:{document.key_lines.get(key, document.line)}" for key in document}
    if "name" in document:
        theme = replace(theme, name=_name(document["name"], where["name"]))
    if "font" in document:
        theme = replace(theme, font=_font(document["font"], where["font"]))
    if "logo" in document:
        theme = replace(theme, logo=_logo(document["logo"], path, where["logo"]))
    if "colours" in document:
        theme = replace(theme, colours=_colours(path, document["colours"], where["colours"]))
    return theme


def _check_keys(path: Path, mapping: LineMapping, allowed: tuple[str, ...], takes: str) -> None:
    if mapping.repeated:
        key = mapping.repeated[0]
        raise ConfigError(f"{path}:{mapping.line}: {key!r} is given twice; keep one")
    for key in mapping:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            line = mapping.key_lines.get(key, mapping.line)
            raise ConfigError(f"{path}:{line}: unknown key {key!r}{hint}; {takes}")


def _name(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(
            f"{where}: 'name' must be the organization's name as text, such as 'Acme Corp', not {value!r}"
        )
    return value.strip()


def _font(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _FONT.fullmatch(value.strip()):
        raise ConfigError(
            f"{where}: 'font' must be one font family name (letters, digits, spaces), such as Arial or 'Open Sans', "
            f"not {value!r}"
        )
    return value.strip()


def _logo(value: Any, theme_path: Path, where: str) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(
            f"{where}: 'logo' must be the path of a PNG or JPEG file, relative to the theme file, not {value!r}"
        )
    logo = (theme_path.parent / value.strip()).resolve()
    if not logo.is_file():
        raise ConfigError(f"{where}: logo {value.strip()!r} not found (looked at {logo}); expected a PNG or JPEG file")
    size = logo.stat().st_size
    if size > MAX_LOGO_BYTES:
        raise ConfigError(f"{where}: logo {value.strip()!r} is {size:,} bytes; expected at most {MAX_LOGO_BYTES:,}")
    with logo.open("rb") as handle:
        head = handle.read(8)
    if not _image_type(head):
        raise ConfigError(f"{where}: logo {value.strip()!r} is not a PNG or JPEG image; expected one of those")
    return logo


def _image_type(data: bytes) -> str:
    return next((kind for magic, kind in _IMAGE_KINDS.items() if data.startswith(magic)), "")


def _colours(path: Path, value: Any, where: str) -> Colours:
    if not isinstance(value, LineMapping):
        raise ConfigError(f"{where}: 'colours' must be a mapping such as 'primary: \"#0b3d91\"', not {value!r}")
    _check_keys(path, value, COLOUR_KEYS, "colours are " + ", ".join(COLOUR_KEYS))
    given = {}
    for key in value:
        colour = value[key]
        line = f"{path}:{value.key_lines.get(key, value.line)}"
        if colour is None:
            raise ConfigError(
                f"{line}: colour {key!r} is empty; write it \"#rrggbb\" in quotes ('#' unquoted starts a YAML comment)"
            )
        if not isinstance(colour, str) or not _HEX.fullmatch(colour.strip()):
            raise ConfigError(f'{line}: colour {key!r} must be written "#rrggbb" such as "#0b3d91", not {colour!r}')
        given[key] = colour.strip().lower()
    return Colours(**{f.name: given.get(f.name, getattr(Colours(), f.name)) for f in fields(Colours)})
