"""The store of structured event mentions (issue 13): triggers, types, attributes and
argument links; each change one logged transaction, undone and redone; a span's removal
or relabelling takes its links along (and undo restores them). Both backends."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from annotator.store.models import Action, EventArgument, EventMention
from annotator.store.service import Store, StoreError

TEXT = "أكد الوزير وزيارة الرئيس إلى الرباط يوم الثلاثاء."
VISIT_AT = TEXT.index("وزيارة") + 1  # زيارة inside وزيارة: a sub-token trigger
VISIT = (VISIT_AT, VISIT_AT + len("زيارة"))
PRES = (TEXT.index("الرئيس"), TEXT.index("الرئيس") + len("الرئيس"))
RABAT = (TEXT.index("الرباط"), TEXT.index("الرباط") + len("الرباط"))
TUESDAY = (TEXT.index("الثلاثاء"), TEXT.index("الثلاثاء") + len("الثلاثاء"))


@dataclass(frozen=True)
class Role:
    name: str
    labels: tuple[str, ...]
    repeat: bool = False
    hotkey: str = ""
    required: bool = False


@dataclass(frozen=True)
class Attr:
    name: str
    values: tuple[str, ...]
    default: str


@dataclass
class StubSchema:
    """The label-checker API the store uses (LabelSchema's, issue 13 contract)."""

    roles_of: dict[str, tuple[Role, ...]] = field(default_factory=lambda: {
        "VISIT": (Role("Agent", ("PERS", "ORG", "GPE"), repeat=True),
                  Role("Place", ("GPE", "LOC", "FAC")), Role("Time", ("DATE",))),
        "MEET": (Role("Entity", ("PERS", "ORG", "GPE"), repeat=True),
                 Role("Place", ("GPE", "LOC"))),
    })
    attrs: tuple[Attr, ...] = (Attr("polarity", ("positive", "negative"), "positive"),
                               Attr("tense", ("past", "present", "future", "unspecified"),
                                    "unspecified"))

    def entity_names(self) -> list[str]:
        return ["PERS", "ORG", "GPE", "LOC", "FAC", "DATE"]

    def event_names(self) -> list[str]:
        return ["VISIT", "MEET", "STATEMENT"]

    def roles(self, event_type: str) -> tuple[Role, ...]:
        return self.roles_of.get(event_type, ())

    def role(self, event_type: str, role: str) -> Role | None:
        return next((r for r in self.roles(event_type) if r.name == role), None)

    def attributes(self, event_type: str) -> tuple[Attr, ...]:
        return self.attrs

    def role_fits(self, event_type: str, role: str, entity_label: str) -> bool:
        r = self.role(event_type, role)
        return r is not None and entity_label in r.labels


@pytest.fixture
def st(db: str) -> Iterator[Store]:
    s = Store.open(db, label_checker=StubSchema())
    yield s
    s.close()


@pytest.fixture
def doc(st: Store) -> int:
    d, _ = st.add_document(external_id="d1", title="t", text=TEXT, sentences=[(0, len(TEXT))])
    assert d.id is not None
    return d.id


def _rows(st: Store, model: type) -> int:
    with st.session() as s:
        return s.execute(select(func.count()).select_from(model.__table__)).scalar_one()


def _kinds(st: Store) -> list[str]:
    with st.session() as s:
        return list(s.execute(select(Action.kind).order_by(Action.id)).scalars())


def test_pilot_trigger_arguments_attribute_undo_redo(st: Store, doc: int) -> None:
    pres = st.add_span(doc, "alice", *PRES, "PERS")
    rabat = st.add_span(doc, "alice", *RABAT, "GPE")
    assert pres and rabat
    m = st.add_event_mention(doc, "alice", *VISIT, "VISIT")
    assert m is not None and TEXT[m.start:m.end] == "زيارة"
    assert m.attributes == {"polarity": "positive", "tense": "unspecified"}
    agent = st.add_event_argument(m.id, "alice", "Agent", pres.id)
    place = st.add_event_argument(m.id, "alice", "Place", rabat.id)
    assert agent is not None and place is not None
    assert st.set_mention_attributes(m.id, "alice", {"tense": "past"})
    [view] = st.event_mentions(doc, "alice")
    assert (view.start, view.end, view.type) == (*VISIT, "VISIT")
    assert view.attributes == {"polarity": "positive", "tense": "past"}
    assert [(a.role, a.start, a.end, a.label) for a in view.arguments] == [
        ("Agent", *PRES, "PERS"), ("Place", *RABAT, "GPE")]
    assert _kinds(st)[-4:] == ["add_event_mention", "add_event_argument",
                               "add_event_argument", "set_mention_attributes"]
    assert st.undo(doc, "alice").kind == "set_mention_attributes"
    assert st.event_mentions(doc, "alice")[0].attributes["tense"] == "unspecified"
    assert st.undo(doc, "alice").kind == "add_event_argument"
    assert [a.role for a in st.event_mentions(doc, "alice")[0].arguments] == ["Agent"]
    assert st.redo(doc, "alice").kind == "add_event_argument"
    assert st.redo(doc, "alice").kind == "set_mention_attributes"
    [again] = st.event_mentions(doc, "alice")
    assert again.id == view.id  # the mention is edited in place
    assert [(a.role, a.start, a.end, a.label) for a in again.arguments] == [
        (a.role, a.start, a.end, a.label) for a in view.arguments]
    assert again.attributes == view.attributes
    assert _rows(st, EventMention) == 1 and _rows(st, EventArgument) == 2


def test_undo_of_add_and_remove_mention(st: Store, doc: int) -> None:
    pres = st.add_span(doc, "alice", *PRES, "PERS")
    m = st.add_event_mention(doc, "alice", *VISIT, "VISIT", {"polarity": "negative"})
    st.add_event_argument(m.id, "alice", "Agent", pres.id)
    assert st.remove_event_mention(m.id, "alice")
    assert st.event_mentions(doc, "alice") == [] and _rows(st, EventArgument) == 0
    st.undo(doc, "alice")  # the mention comes back with its argument and attributes
    [back] = st.event_mentions(doc, "alice")
    assert back.attributes["polarity"] == "negative"
    assert [(a.role, a.label) for a in back.arguments] == [("Agent", "PERS")]
    st.undo(doc, "alice")  # the argument
    st.undo(doc, "alice")  # the mention
    assert st.event_mentions(doc, "alice") == [] and _rows(st, EventMention) == 0
    st.redo(doc, "alice")
    st.redo(doc, "alice")
    st.redo(doc, "alice")
    assert st.event_mentions(doc, "alice") == []


def test_checks(st: Store, doc: int) -> None:
    with pytest.raises(StoreError, match="not an event type"):
        st.add_event_mention(doc, "alice", *VISIT, "PERS")
    with pytest.raises(StoreError, match="outside"):
        st.add_event_mention(doc, "alice", 0, len(TEXT) + 1, "VISIT")
    with pytest.raises(StoreError, match="not a value"):
        st.add_event_mention(doc, "alice", *VISIT, "VISIT", {"polarity": "maybe"})
    with pytest.raises(StoreError, match="not an attribute"):
        st.add_event_mention(doc, "alice", *VISIT, "VISIT", {"colour": "red"})
    m = st.add_event_mention(doc, "alice", *VISIT, "VISIT")
    assert st.add_event_mention(doc, "alice", *VISIT, "VISIT") is None  # already there
    date = st.add_span(doc, "alice", *TUESDAY, "DATE")
    with pytest.raises(StoreError, match="cannot fill the role 'Place'"):
        st.add_event_argument(m.id, "alice", "Place", date.id)
    with pytest.raises(StoreError, match="not a role"):
        st.add_event_argument(m.id, "alice", "Victim", date.id)
    bobs = st.add_span(doc, "bob", *TUESDAY, "DATE")
    assert st.add_event_argument(m.id, "alice", "Time", bobs.id) is None  # not hers
    assert st.add_event_argument(m.id, "bob", "Time", bobs.id) is None  # not his mention
    other, _ = st.add_document(external_id="d2", title="", text="نص آخر", sentences=[(0, 7)])
    elsewhere = st.add_span(other.id, "alice", 0, 2, "DATE")
    with pytest.raises(StoreError, match="document"):
        st.add_event_argument(m.id, "alice", "Time", elsewhere.id)
    assert st.set_mention_attributes(m.id, "alice", {"polarity": "positive"}) is False
    assert not st.remove_event_mention(m.id, "bob")
    assert _rows(st, EventArgument) == 0


def test_non_repeating_role_replaces_in_one_step(st: Store, doc: int) -> None:
    rabat = st.add_span(doc, "alice", *RABAT, "GPE")
    pres = st.add_span(doc, "alice", *PRES, "GPE")
    m = st.add_event_mention(doc, "alice", *VISIT, "VISIT")
    st.add_event_argument(m.id, "alice", "Place", rabat.id)
    st.add_event_argument(m.id, "alice", "Place", pres.id)
    st.add_event_argument(m.id, "alice", "Agent", rabat.id)
    st.add_event_argument(m.id, "alice", "Agent", pres.id)  # Agent repeats
    args = [(a.role, a.start) for a in st.event_mentions(doc, "alice")[0].arguments]
    assert args == [("Agent", PRES[0]), ("Agent", RABAT[0]), ("Place", PRES[0])]
    st.undo(doc, "alice")
    st.undo(doc, "alice")
    st.undo(doc, "alice")  # the replacement, undone as one step
    args = [(a.role, a.start) for a in st.event_mentions(doc, "alice")[0].arguments]
    assert args == [("Place", RABAT[0])]


def test_removing_a_span_removes_its_links_and_undo_restores_them(st: Store,
                                                                   doc: int) -> None:
    rabat = st.add_span(doc, "alice", *RABAT, "GPE")
    m = st.add_event_mention(doc, "alice", *VISIT, "VISIT")
    meet = st.add_event_mention(doc, "alice", *PRES, "MEET")
    st.add_event_argument(m.id, "alice", "Place", rabat.id)
    st.add_event_argument(meet.id, "alice", "Place", rabat.id)
    links = st.span_argument_links(rabat.id)
    assert [(a.role, a.label) for a in links] == [("Place", "GPE"), ("Place", "GPE")]
    assert st.remove_span(rabat.id, "alice")
    assert _rows(st, EventArgument) == 0 and _kinds(st)[-1] == "remove_span"
    st.undo(doc, "alice")
    assert _rows(st, EventArgument) == 2
    assert all(len(v.arguments) == 1 for v in st.event_mentions(doc, "alice"))
    st.redo(doc, "alice")
    assert _rows(st, EventArgument) == 0
    st.undo(doc, "alice")
    st.undo(doc, "alice")  # the second link
    st.undo(doc, "alice")  # the first
    st.undo(doc, "alice")  # MEET
    st.undo(doc, "alice")  # VISIT
    st.undo(doc, "alice")  # the span: no link can be left behind
    assert _rows(st, EventArgument) == 0 and _rows(st, EventMention) == 0


def test_relabel_keeps_fitting_links_and_drops_others(st: Store, doc: int) -> None:
    rabat = st.add_span(doc, "alice", *RABAT, "GPE")
    m = st.add_event_mention(doc, "alice", *VISIT, "VISIT")
    st.add_event_argument(m.id, "alice", "Place", rabat.id)
    st.add_event_argument(m.id, "alice", "Agent", rabat.id)
    st.relabel_span(rabat.id, "alice", "LOC")  # fits Place, not Agent
    args = [(a.role, a.label) for a in st.event_mentions(doc, "alice")[0].arguments]
    assert args == [("Place", "LOC")]
    st.undo(doc, "alice")
    args = [(a.role, a.label) for a in st.event_mentions(doc, "alice")[0].arguments]
    assert args == [("Agent", "GPE"), ("Place", "GPE")]
    st.redo(doc, "alice")
    args = [(a.role, a.label) for a in st.event_mentions(doc, "alice")[0].arguments]
    assert args == [("Place", "LOC")]


def test_type_change_drops_what_the_new_type_lacks(st: Store, doc: int) -> None:
    rabat = st.add_span(doc, "alice", *RABAT, "GPE")
    date = st.add_span(doc, "alice", *TUESDAY, "DATE")
    m = st.add_event_mention(doc, "alice", *VISIT, "VISIT")
    st.add_event_argument(m.id, "alice", "Place", rabat.id)
    st.add_event_argument(m.id, "alice", "Time", date.id)
    assert st.set_mention_type(m.id, "alice", "MEET")  # MEET has no Time here
    [v] = st.event_mentions(doc, "alice")
    assert v.type == "MEET" and v.id == m.id
    assert [a.role for a in v.arguments] == ["Place"]
    st.undo(doc, "alice")
    [v] = st.event_mentions(doc, "alice")
    assert v.type == "VISIT" and [a.role for a in v.arguments] == ["Place", "Time"]


def test_coreference_survives_remove_and_undo(st: Store, doc: int) -> None:
    first = st.add_event_mention(doc, "alice", *VISIT, "MEET")
    second = st.add_event_mention(doc, "alice", *PRES, "MEET")
    with pytest.raises(StoreError, match="earlier"):
        st.set_mention_coref(first.id, "alice", second.id)
    assert st.set_mention_coref(second.id, "alice", first.id)
    assert st.remove_event_mention(first.id, "alice")
    [left] = st.event_mentions(doc, "alice")
    assert left.coref_of is None
    st.undo(doc, "alice")
    views = st.event_mentions(doc, "alice")
    assert views[1].coref_of == views[0].id


def test_replay_checks_the_type_against_the_schema(st: Store, doc: int) -> None:
    m = st.add_event_mention(doc, "alice", *VISIT, "STATEMENT")
    st.remove_event_mention(m.id, "alice")
    st.label_checker = StubSchema()
    st.label_checker.event_names = lambda: ["VISIT"]  # type: ignore[method-assign]
    with pytest.raises(StoreError, match="cannot undo"):
        st.undo(doc, "alice")


def test_a_span_deleted_by_any_path_leaves_no_link(st: Store, doc: int) -> None:
    rabat = st.add_span(doc, "alice", *RABAT, "GPE")
    bobs = st.add_span(doc, "bob", *RABAT, "GPE")
    m = st.add_event_mention(doc, "alice", *VISIT, "VISIT")
    b = st.add_event_mention(doc, "bob", *VISIT, "VISIT")
    st.add_event_argument(m.id, "alice", "Place", rabat.id)
    st.add_event_argument(b.id, "bob", "Place", bobs.id)
    with st.write(doc) as s:  # the primitive undo, suggestions and gold use
        assert st._delete_span(s, doc, rabat.annotator_id, *RABAT, "GPE")
        s.commit()
    assert st.event_mentions(doc, "alice")[0].arguments == ()
    assert len(st.event_mentions(doc, "bob")[0].arguments) == 1  # bob's link stays
