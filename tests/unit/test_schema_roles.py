"""Event structure in the label schema: [[event.role]] and [[event.attribute]] parsed,
validated one line per problem (file:line), and the packaged schema's ACE roles."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app
from annotator.labelschema import EventAttribute, EventRole, load_schema, parse_schema

ENTITIES = "".join(
    f'[[entity]]\nname = "{n}"\nhotkey = "{k}"\ncolor = "{c}"\nen = "x"\nar = "س"\n\n'
    for n, k, c in (("PERS", "1", "#ffd700"), ("GPE", "5", "#af87ff"),
                    ("DATE", "9", "#afaf87")))
EVENT = '[[event]]\nname = "MEET"\nhotkey = "m"\ncolor = "#00afff"\nen = "x"\nar = "س"\n'
GOOD_ROLES = (
    '\n[[event.role]]\nname = "Entity"\nhotkey = "e"\nlabels = ["PERS", "GPE"]\n'
    'required = true\nrepeat = true\n'
    '\n[[event.role]]\nname = "Place"\nhotkey = "p"\nlabels = ["GPE"]\n'
    '\n[[event.attribute]]\nname = "tense"\nvalues = ["past", "future"]\n'
    'default = "future"\n'
    '\n[[event.attribute]]\nname = "polarity"\nvalues = ["positive", "negative"]\n'
)


def test_roles_and_attributes_are_parsed_in_order_with_defaults() -> None:
    schema, errors = parse_schema(ENTITIES + EVENT + GOOD_ROLES, "s.toml")
    assert errors == []
    assert schema.roles("MEET") == (
        EventRole("Entity", "e", ("PERS", "GPE"), required=True, repeat=True),
        EventRole("Place", "p", ("GPE",), required=False, repeat=False),
    )
    assert schema.attributes("MEET") == (
        EventAttribute("tense", ("past", "future"), "future"),
        EventAttribute("polarity", ("positive", "negative"), "positive"),  # first value
    )
    assert schema.attribute_defaults("MEET") == {"tense": "future", "polarity": "positive"}
    assert schema.role("MEET", "Place") == schema.roles("MEET")[1]
    assert schema.role("MEET", "Time") is None and schema.roles("NOPE") == ()
    assert schema.role_fits("MEET", "Entity", "PERS")
    assert not schema.role_fits("MEET", "Place", "PERS")
    assert not schema.role_fits("MEET", "Time", "DATE")
    assert schema.entity("PERS").roles == () and schema.attributes("PERS") == ()


def test_every_problem_is_one_line_with_the_tables_line() -> None:
    bad = (
        '\n[[event.role]]\nname = "Place"\nhotkey = "p"\nlabels = ["GPE", "WEA"]\n'
        '\n[[event.role]]\nname = "Place"\nhotkey = "p"\nlabels = []\nrepeat = "yes"\n'
        '\n[[event.role]]\nname = "Time"\nhotkey = "tt"\nlable = ["DATE"]\n'
        '\n[[event.attribute]]\nname = "tense"\nvalues = ["past"]\ndefault = "now"\n'
        '\n[[event.attribute]]\nname = "modality"\nvalues = []\n'
        '\n[[event.attribute]]\nname = "tense"\nvalues = ["a", "a"]\nvalue = 1\n'
    )
    text = ENTITIES + EVENT + bad
    schema, errors = parse_schema(text, "s.toml")
    lines = text.splitlines()
    r1, r2, r3 = (n for n, line in enumerate(lines, 1) if line == "[[event.role]]")
    a1, a2, a3 = (n for n, line in enumerate(lines, 1) if line == "[[event.attribute]]")
    assert r1 == 29  # 3 entities of 7 lines (21), the event's 6, a blank line

    def at(line: int) -> str:
        return f"s.toml:{line}: event MEET "

    expected = [
        at(r1) + "role Place: unknown entity label 'WEA'",
        at(r2) + "role Place: duplicate role name 'Place'",
        at(r2) + "role Place: hotkey 'p' already used by role Place",
        at(r2) + "role Place: labels must be a non-empty list of entity labels",
        at(r2) + "role Place: repeat must be true or false, not 'yes'",
        at(r3) + "role Time: unknown key 'lable' (expected name, hotkey, labels, required, "
                 "repeat)",
        at(r3) + "role Time: hotkey must be one printable character",
        at(r3) + "role Time: labels must be a non-empty list of entity labels",
        at(a1) + "attribute tense: default 'now' is not one of the values",
        at(a2) + "attribute modality: values must be a non-empty list of strings",
        at(a3) + "attribute tense: unknown key 'value' (expected name, values, default)",
        at(a3) + "attribute tense: duplicate attribute name 'tense'",
        at(a3) + "attribute tense: a value is listed twice",
    ]
    assert sorted(errors) == sorted(expected)
    assert schema.event("MEET") is not None


def test_unknown_keys_in_types_and_top_level_are_reported() -> None:
    text = ("[schema]\nname = 'x'\nversion = 'two'\n[labels]\n" + ENTITIES
            + EVENT.replace('ar = "س"', 'ar = "س"\nattributes = 1')
            + "[[event.roles]]\nname='x'\n")
    _, errors = parse_schema(text, "s.toml")
    assert "s.toml: unknown key 'labels' (expected schema, entity, event)" in errors
    assert any("version must be a whole number" in e for e in errors)
    for key in ("attributes", "roles"):
        assert any(e.endswith(f"(MEET): unknown key {key!r} (expected name, hotkey, color, "
                              "en, ar, role, attribute)") for e in errors)


def test_packaged_schema_has_ace_roles_and_the_four_attributes_everywhere() -> None:
    schema = load_schema()
    expected_types = {"MEET", "VISIT", "STATEMENT", "COOPERATE", "ATTACK", "ARREST",
                      "THREAT", "SECURE_EVENT", "HOST", "TRAIN"}
    assert set(schema.event_names()) == expected_types
    meet = {r.name: r for r in schema.roles("MEET")}
    assert meet["Entity"] == EventRole("Entity", "e", ("PERS", "ORG", "GPE", "NORP"),
                                       repeat=True)
    assert meet["Place"].labels == ("GPE", "LOC", "FAC") and meet["Time"].labels == ("DATE",)
    assert schema.role_fits("VISIT", "Agent", "PERS") and schema.role_fits("VISIT", "Place",
                                                                            "GPE")
    assert {r.name for r in schema.roles("ATTACK")} >= {"Attacker", "Target", "Place", "Time"}
    assert {r.name for r in schema.roles("ARREST")} >= {"Person", "Agent", "Place", "Time"}
    entity_names = set(schema.entity_names())
    for event in schema.events:
        assert event.roles, event.name
        keys = [r.hotkey for r in event.roles]
        assert len(set(keys)) == len(keys)
        assert all(set(r.labels) <= entity_names for r in event.roles)
        assert {a.name: (a.values, a.default) for a in event.attributes} == {
            "polarity": (("positive", "negative"), "positive"),
            "tense": (("past", "present", "future", "unspecified"), "unspecified"),
            "genericity": (("specific", "generic"), "specific"),
            "modality": (("asserted", "other"), "asserted"),
        }


def test_schema_check_file_prints_role_problems_and_exits_1(tmp_path: Path) -> None:
    f = tmp_path / "roles.toml"
    f.write_text(ENTITIES + EVENT + GOOD_ROLES.replace('["GPE"]', '["LOC"]'),
                 encoding="utf-8")
    result = CliRunner().invoke(app, ["schema", "check", str(f)])
    assert result.exit_code == 1
    assert f"{f}:" in result.output
    assert "event MEET role Place: unknown entity label 'LOC'" in result.output
    f.write_text(ENTITIES + EVENT + GOOD_ROLES, encoding="utf-8")
    result = CliRunner().invoke(app, ["schema", "check", str(f)])
    assert result.exit_code == 0, result.output
