"""SQLModel tables. Offsets are [start, end) Python str indices into Document.text (NFC)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DDL, JSON, Column, Index, UniqueConstraint, event, func
from sqlmodel import Field, SQLModel

GOLD = "gold"  # reserved annotator name under which adjudicated annotations are stored

ROLE_ANNOTATOR = "annotator"
ROLE_ADJUDICATOR = "adjudicator"
ROLE_GOLD = "gold"

STATUS_NEW = "new"
STATUS_IN_PROGRESS = "in_progress"
STATUS_DONE = "done"
STATUSES = (STATUS_NEW, STATUS_IN_PROGRESS, STATUS_DONE)

SCOPE_DOCUMENT = "document"
SCOPE_SENTENCE = "sentence"


def utcnow() -> datetime:
    return datetime.now(UTC)


def _default_list_key(context: Any) -> str:
    """`Document.list_key` of a row inserted with Core `insert()` without one."""
    from annotator.store.doc_list import list_key

    row = context.get_current_parameters()
    return list_key(row.get("external_id") or "", row.get("title") or "")


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(index=True, unique=True)
    title: str = ""
    # schema v5: match key of external id + title (annotator.store.doc_list.list_key), what
    # the documents list's filter searches; a Core insert without it gets it computed
    list_key: str = Field(default="", sa_column_kwargs={
        "default": _default_list_key, "server_default": ""})
    text: str
    sha256: str = Field(index=True, unique=True)
    source_path: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


# PostgreSQL orders the documents list by code point (`external_id COLLATE "C"`, see
# engine.codepoint); the unique index has the database's collation, so the list's pages
# and counts get an index of their own there (schema v5). SQLite's index is already binary.
DOCUMENT_ID_CODEPOINT_INDEX = DDL(
    'CREATE INDEX IF NOT EXISTS ix_document_external_id_c ON document (external_id COLLATE "C")')
event.listen(Document.__table__, "after_create",  # type: ignore[attr-defined]
             DOCUMENT_ID_CODEPOINT_INDEX.execute_if(dialect="postgresql"))


class Sentence(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("document_id", "index"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    index: int
    start: int
    end: int


class Annotator(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    role: str = ROLE_ANNOTATOR


class Assignment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("document_id", "annotator_id"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    annotator_id: int = Field(foreign_key="annotator.id", index=True, ondelete="CASCADE")
    status: str = STATUS_NEW
    updated_at: datetime = Field(default_factory=utcnow)


class Span(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("document_id", "annotator_id", "start", "end", "label"),
        Index("ix_span_doc_ann", "document_id", "annotator_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE")
    annotator_id: int = Field(foreign_key="annotator.id", ondelete="CASCADE")
    start: int
    end: int
    label: str
    created_at: datetime = Field(default_factory=utcnow)
    # gold only: {"annotators": [...], "rule": "unanimous"|"adjudicated", "by": name, "at": iso}
    provenance: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class EventLabel(SQLModel, table=True):
    __table_args__ = (Index("ix_event_doc_ann", "document_id", "annotator_id"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE")
    annotator_id: int = Field(foreign_key="annotator.id", ondelete="CASCADE")
    label: str
    scope: str = SCOPE_DOCUMENT
    start: int | None = None  # the sentence's range for scope "sentence"; None for "document"
    end: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    provenance: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


# one row per label per unit per annotator (schema v4), as spans have: two writers can
# never both add gold's MEET to one sentence. A document-scope label has no start/end,
# and NULLs never collide in a unique index, hence the COALESCE.
_event_table = EventLabel.__table__  # type: ignore[attr-defined]
UNIQUE_EVENT_INDEX = Index(
    "uq_eventlabel_unit",
    _event_table.c.document_id, _event_table.c.annotator_id, _event_table.c.scope,
    func.coalesce(_event_table.c.start, -1), func.coalesce(_event_table.c.end, -1),
    _event_table.c.label,
    unique=True,
)


class Action(SQLModel, table=True):
    """Every change, who/when/what with before and after: undo/redo and the audit trail.

    `annotator_id` is whose annotations changed (gold's for adjudication); `by` is the user
    who made the change and `actor` the operating-system user@host they worked from. A
    role grant has no document. Undo and redo are rows of their own (kind ``undo`` /
    ``redo``, payload naming the action they replayed), with their own time.
    """

    __table_args__ = (Index("ix_action_doc_ann", "document_id", "annotator_id"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int | None = Field(default=None, foreign_key="document.id",
                                    ondelete="CASCADE")
    annotator_id: int = Field(foreign_key="annotator.id", ondelete="CASCADE")
    kind: str  # add_span | remove_span | set_events | set_status | import | role | undo | …
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # state: "done" (on the undo stack), "undone" (on the redo stack), "dead" (redo discarded)
    state: str = "done"
    created_at: datetime = Field(default_factory=utcnow)
    by: str | None = None
    actor: str | None = None


class Setting(SQLModel, table=True):
    """Key/value facts about the database: schema_version, the label schema it was made with."""

    key: str = Field(primary_key=True)
    value: str


class Decision(SQLModel, table=True):
    """One adjudication decision: what gold took for one disagreement (schema v3).

    `item_key` is the disagreement's key (see annotator.adjudication); `outcome` is
    accepted | rejected | edited; `versions` the annotators of each accepted version;
    `before`/`after` the gold items the decision removed and added
    ({"spans": [...], "labels": {...}}), so that it can be undone and audited.
    """

    __table_args__ = (UniqueConstraint("document_id", "item_key"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    item_key: str
    kind: str  # label | boundary | missing | event
    outcome: str  # accepted | rejected | edited
    versions: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    by: str
    at: datetime = Field(default_factory=utcnow)
    before: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


# --- schema v6: suggestions (issue 12), the project's label schema and event structure
# (issue 13) ---------------------------------------------------------------------------

SUGGESTION_PENDING = "pending"
SUGGESTION_ACCEPTED = "accepted"
SUGGESTION_REJECTED = "rejected"
SUGGESTION_SOURCES = ("occurrences", "gazetteer", "model")


class Suggestion(SQLModel, table=True):
    """A proposed span for one annotator on one document: never another annotator's,
    never in agreement, status counts or exports until accepted (then it is a `Span` of
    that annotator whose provenance names `suggested_by`). One row per (document,
    annotator, range, label): a rejected suggestion stays, so it is never proposed again."""

    __table_args__ = (
        UniqueConstraint("document_id", "annotator_id", "start", "end", "label"),
        Index("ix_suggestion_doc_ann_state", "document_id", "annotator_id", "state"),
    )
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE")
    annotator_id: int = Field(foreign_key="annotator.id", ondelete="CASCADE")
    start: int
    end: int
    label: str
    source: str  # occurrences | gazetteer | model
    score: float = 1.0
    state: str = SUGGESTION_PENDING  # pending | accepted | rejected
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None


class GazetteerEntry(SQLModel, table=True):
    """A name the gazetteer source suggests with `label`; `key` is its Arabic match key
    (annotator.text.keys.match_key), what matching uses."""

    __table_args__ = (UniqueConstraint("key", "label"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str
    key: str = Field(index=True)
    label: str
    source: str = ""  # the file it came from
    created_at: datetime = Field(default_factory=utcnow)


class LabelSchemaVersion(SQLModel, table=True):
    """The project's label schema, versioned: the row with the highest `version` is the one
    every command and every annotator uses. A new database starts from the packaged
    schema/labels.toml as version 1."""

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(index=True, unique=True)
    toml: str
    digest: str
    by: str | None = None
    note: str = ""  # e.g. "rename ORG=ORGANISATION"
    created_at: datetime = Field(default_factory=utcnow)


class EventMention(SQLModel, table=True):
    """A structured event: a trigger [start, end) of one annotator, its type and its
    attributes ({"polarity": "positive", …}); arguments in `EventArgument`."""

    __table_args__ = (
        UniqueConstraint("document_id", "annotator_id", "start", "end", "type"),
        Index("ix_eventmention_doc_ann", "document_id", "annotator_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE")
    annotator_id: int = Field(foreign_key="annotator.id", ondelete="CASCADE")
    start: int
    end: int
    type: str
    attributes: dict[str, Any] = Field(default_factory=dict,
                                       sa_column=Column(JSON, nullable=False))
    # optional event coreference: the id of an earlier mention of the same event
    coref_of: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    provenance: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class EventArgument(SQLModel, table=True):
    """An argument of a mention: a span of the same annotator (named by its range and
    label, which are unique per annotator and document) in a role. Removing the span
    removes the link in the same transaction."""

    __table_args__ = (UniqueConstraint("mention_id", "role", "start", "end", "label"),)
    id: int | None = Field(default=None, primary_key=True)
    mention_id: int = Field(foreign_key="eventmention.id", index=True, ondelete="CASCADE")
    role: str
    start: int
    end: int
    label: str
    provenance: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
