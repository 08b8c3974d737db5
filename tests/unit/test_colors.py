"""The colour math (CIEDE2000 against Sharma et al.'s test data), the default palette's
minimum difference in truecolour and 256 colours, and `schema check`'s warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.cli import app
from annotator.colors import (
    MODES,
    ciede2000,
    closest_pairs,
    distance,
    downgrade_256,
    hex_to_rgb,
    min_distance,
    rgb_to_lab,
    shade,
    too_close,
)
from annotator.labelschema import color_warnings, load_schema, parse_schema

# the minimum pairwise CIEDE2000 difference the default palette reaches (both modes)
PALETTE_MINIMUM = 23.0


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [  # Sharma, Wu & Dalal (2005), table 1: pairs 1, 7, 17, 22 (hue wrap-around), 34
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0009), 7.1792),
        ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
    ],
)
def test_ciede2000_reference_pairs(lab1, lab2, expected) -> None:
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_lab_of_known_colours() -> None:
    assert rgb_to_lab((255, 255, 255)) == pytest.approx((100.0, 0.0, 0.0), abs=0.01)
    assert rgb_to_lab((0, 0, 0)) == pytest.approx((0.0, 0.0, 0.0), abs=0.01)
    assert rgb_to_lab((255, 0, 0)) == pytest.approx((53.24, 80.09, 67.20), abs=0.05)
    assert hex_to_rgb("#00afff") == (0, 175, 255)


def test_downgrade_and_distance() -> None:
    # two blues that are apart in truecolour become one xterm colour in 256 colours
    assert downgrade_256("#61afef") == downgrade_256("#5fafff") == (95, 175, 255)
    assert distance("#61afef", "#5fafff") > 0
    assert distance("#61afef", "#5fafff", "256") == 0
    assert distance("#000000", "#ffffff") == pytest.approx(100.0, abs=0.01)
    assert min_distance(["#000000"]) == float("inf")


def test_old_palette_pairs_are_flagged() -> None:
    """The palette the issue complained about: DATE/CARDINAL two greys, ORG/LOC two blues,
    PERS/NORP two oranges."""
    old = {"PERS": "#e5c07b", "NORP": "#d19a66", "ORG": "#61afef", "LOC": "#56b6c2",
           "DATE": "#abb2bf", "CARDINAL": "#7f848e"}
    worst = closest_pairs(old, "256")[0]
    assert worst[0] < 15
    flagged = {frozenset((a, b)) for _mode, _d, a, b in too_close(old)}
    assert flagged >= {frozenset(("PERS", "NORP")), frozenset(("DATE", "CARDINAL")),
                       frozenset(("ORG", "LOC"))}


@pytest.mark.parametrize("mode", MODES)
def test_default_palette_is_distinguishable(mode: str) -> None:
    schema = load_schema()
    for types in (schema.entities, schema.events):
        colors = {t.name: t.color for t in types}
        assert min_distance(list(colors.values()), mode) >= PALETTE_MINIMUM, closest_pairs(
            colors, mode)[:3]
    entities = {t.name: t.color for t in schema.entities}
    pairs = {frozenset((a, b)): d for d, a, b in closest_pairs(entities, mode)}
    for a, b in (("DATE", "CARDINAL"), ("ORG", "LOC"), ("PERS", "NORP")):
        assert pairs[frozenset((a, b))] >= PALETTE_MINIMUM
    # the alternate shade of a nested span stays apart from its own colour
    for t in schema.entities:
        assert distance(t.color, shade(t.color), mode) >= 10


def test_schema_check_warns_about_close_colours(tmp_path: Path) -> None:
    assert color_warnings(load_schema()) == []
    text = (
        '[[entity]]\nname = "DATE"\nhotkey = "1"\ncolor = "#abb2bf"\nen = "a"\nar = "ب"\n'
        '[[entity]]\nname = "CARDINAL"\nhotkey = "2"\ncolor = "#b0b0b0"\nen = "a"\nar = "ب"\n'
        '[[event]]\nname = "MEET"\nhotkey = "m"\ncolor = "#ffffff"\nen = "a"\nar = "ب"\n'
    )
    schema, errors = parse_schema(text, "close.toml")
    assert errors == []
    warnings = color_warnings(schema, "close.toml")
    assert warnings and all(w.startswith("close.toml: warning: entity colours of DATE")
                            for w in warnings)
    f = tmp_path / "close.toml"
    f.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["schema", "check", str(f)])
    assert result.exit_code == 0  # a warning does not change the exit status
    assert "warning: entity colours of DATE (#abb2bf) and CARDINAL (#b0b0b0)" in result.output
    assert "too close in truecolor mode" in result.output and "ok (2 entity types" in result.output
    clean = CliRunner().invoke(app, ["schema", "check"])
    assert clean.exit_code == 0 and "warning" not in clean.output
