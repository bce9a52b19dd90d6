"""The board pack's theme file: what it sets, what it leaves to Quarterdeck's own theme, the
CSS the HTML page takes from it, and every mistake named with file, line and what was expected."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from quarterdeck.core.errors import ConfigError
from quarterdeck.reports.theme import DEFAULT_THEME, GREY, Colours, read_theme
from tests.board_packs import write_png

GOOD = """\
# Acme's board pack
name: Acme Corp
logo: brand/acme.png
font: Open Sans
colours:
  primary: "#0B3D91"
  accent: '#f2a900'
  text: "#111111"
  background: "#fafafa"
  good: "#00a000"
  warning: "#ffaa00"
  bad: "#dd0000"
"""


def write(tmp_path: Path, text: str, name: str = "theme.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_theme_file_sets_every_field(tmp_path: Path) -> None:
    (tmp_path / "brand").mkdir()
    logo = write_png(tmp_path / "brand" / "acme.png")
    theme = read_theme(write(tmp_path, GOOD))
    assert theme.name == "Acme Corp"
    assert theme.logo == logo.resolve()
    assert theme.font == "Open Sans"
    assert theme.colours == Colours("#0b3d91", "#f2a900", "#111111", "#fafafa", "#00a000", "#ffaa00", "#dd0000")
    assert theme.status_colour("green") == "#00a000"
    assert theme.status_colour("amber") == "#ffaa00"
    assert theme.status_colour("red") == "#dd0000"
    assert theme.status_colour("grey") == GREY
    assert theme.series_colours() == ("#0b3d91", "#f2a900", "#00a000", "#ffaa00", "#dd0000", "#111111")


def test_what_a_theme_leaves_out_is_quarterdecks_own(tmp_path: Path) -> None:
    theme = read_theme(write(tmp_path, 'name: Beta\ncolours:\n  primary: "#123456"\n'))
    assert theme.name == "Beta"
    assert theme.logo is None
    assert theme.font == DEFAULT_THEME.font
    assert theme.colours.primary == "#123456"
    assert theme.colours.bad == DEFAULT_THEME.colours.bad
    assert theme.colours.accent == DEFAULT_THEME.colours.accent


def test_the_default_theme_is_dark_text_on_white_with_the_dashboards_status_colours() -> None:
    css = Path(__file__).resolve().parents[1] / "src" / "quarterdeck" / "web" / "static" / "quarterdeck.css"
    root = css.read_text(encoding="utf-8").split("}", 1)[0]
    dashboard = dict(re.findall(r"--([a-z]+): (#[0-9a-f]{6})", root))
    colours = DEFAULT_THEME.colours
    assert (colours.good, colours.warning, colours.bad) == (dashboard["green"], dashboard["amber"], dashboard["red"])
    assert colours.text == dashboard["ink"] and colours.background == "#ffffff"
    assert DEFAULT_THEME.logo is None and DEFAULT_THEME.logo_data_uri() == ""


def test_css_variables_carry_the_themes_colours_and_font(tmp_path: Path) -> None:
    (tmp_path / "brand").mkdir()
    write_png(tmp_path / "brand" / "acme.png")
    css = read_theme(write(tmp_path, GOOD)).css_variables()
    assert css.startswith(":root {") and css.endswith("}")
    declared = dict(re.findall(r"--([a-z]+): ([^;]+);", css))
    assert declared["primary"] == "#0b3d91" and declared["accent"] == "#f2a900"
    assert declared["text"] == "#111111" and declared["background"] == "#fafafa"
    assert (declared["good"], declared["warning"], declared["bad"]) == ("#00a000", "#ffaa00", "#dd0000")
    assert (declared["green"], declared["amber"], declared["red"]) == ("#00a000", "#ffaa00", "#dd0000")
    assert declared["grey"] == GREY and declared["ink"] == "#111111"
    assert declared["font"].startswith('"Open Sans", ')


def test_the_logo_becomes_a_data_address_for_a_self_contained_page(tmp_path: Path) -> None:
    (tmp_path / "brand").mkdir()
    logo = write_png(tmp_path / "brand" / "acme.png")
    uri = read_theme(write(tmp_path, GOOD)).logo_data_uri()
    prefix = "data:image/png;base64,"
    assert uri.startswith(prefix)
    assert base64.b64decode(uri[len(prefix) :]) == logo.read_bytes()


def test_a_jpeg_logo_is_taken(tmp_path: Path) -> None:
    (tmp_path / "logo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 32)
    theme = read_theme(write(tmp_path, "logo: logo.jpg\n"))
    assert theme.logo_data_uri().startswith("data:image/jpeg;base64,")


BAD = [
    ("name: Acme\ncolours:\n  primary: #0b3d91\n", 3, "colour 'primary' is empty; write it \"#rrggbb\" in quotes"),
    ("name: Acme\ncolours:\n  accent: 'orange'\n", 3, "colour 'accent' must be written \"#rrggbb\""),
    ("name: Acme\ncolours:\n  bad: '#ff00'\n", 3, "colour 'bad' must be written \"#rrggbb\""),
    ("name: Acme\ncolours:\n  text: '#111111'\n  gren: '#00ff00'\n", 4, "unknown key 'gren'; colours are primary"),
    ("name: Acme\ncolors:\n  primary: '#111111'\n", 2, "unknown key 'colors' (did you mean 'colours'?)"),
    ("name: Acme\n\ncolours: '#111111'\n", 3, "'colours' must be a mapping"),
    ("name: Acme\nlogo: missing.png\n", 2, "logo 'missing.png' not found"),
    ("name: Acme\nfont: 'Arial; color: red'\n", 2, "'font' must be one font family name"),
    ("name:\nfont: Arial\n", 1, "'name' must be the organization's name"),
    ("name: Acme\nname: Beta\n", 1, "'name' is given twice; keep one"),
    ("name: Acme\ncolours:\n  primary: ['#111111'\n", 4, ""),
    ("- name: Acme\n", 1, "expected a mapping with name, logo, font and colours"),
    ("", 1, "the theme file is empty"),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD)
def test_every_mistake_names_the_file_the_line_and_what_was_expected(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        read_theme(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)


def test_a_logo_that_is_not_an_image_is_refused_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_text("not an image", encoding="utf-8")
    path = write(tmp_path, "name: Acme\n\nlogo: logo.png\n")
    with pytest.raises(ConfigError, match=re.escape(f"{path}:3: logo 'logo.png' is not a PNG or JPEG image")):
        read_theme(path)


def test_a_missing_theme_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=re.escape(f"{tmp_path / 'nope.yaml'}: theme file not found")):
        read_theme(tmp_path / "nope.yaml")
