"""The `annotator` command line: one thin function per command; the work is in commands/."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from annotator.errors import AnnotatorError, UsageError
from annotator.store.engine import database_url, safe_url

app = typer.Typer(
    name="annotator",
    help="Build a labelled gold corpus from Arabic news articles, in the terminal.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
schema_app = typer.Typer(help="Show, check or set the project's label schema (kept in the "
                         "database).", no_args_is_help=True)
app.add_typer(schema_app, name="schema")
gazetteer_app = typer.Typer(help="The names lists the gazetteer suggestion source matches.",
                            no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")


class Context:
    db: str | None = None


CTX = Context()
DISAGREEMENTS_LISTED = 1000


def _run(target: str, *args: object, **kwargs: object) -> None:
    """Call a command implementation ("module:function", imported lazily so start-up stays
    fast); turn its result into an exit status, and any error into one line, never a traceback.
    """
    try:
        module, _, name = target.partition(":")
        code = getattr(importlib.import_module(module), name)(*args, **kwargs)
    except UsageError as exc:
        typer.echo(f"annotator: {exc}", err=True)
        raise typer.Exit(2) from None
    except AnnotatorError as exc:
        typer.echo(f"annotator: {exc}", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo("annotator: interrupted", err=True)
        raise typer.Exit(130) from None
    except BrokenPipeError:  # the reader went away (`annotator status | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        url = database_url(CTX.db)
        try:  # a driver's message could quote the connection string: never its password
            password = make_url(url).password
        except ArgumentError:
            password = None
        if password:
            reason = reason.replace(str(password), "***")
        typer.echo(f"annotator: database {safe_url(url)}: {reason}", err=True)
        raise typer.Exit(1) from None
    except Exception as exc:  # last line of defence: one line, no traceback
        first = (str(exc).splitlines() or [""])[0]
        typer.echo(f"annotator: internal error: {type(exc).__name__}: {first}", err=True)
        raise typer.Exit(1) from None
    raise typer.Exit(code or 0)


@app.callback()
def main_options(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database path or SQLAlchemy URL (default $ANNOTATOR_DB, then ./annotations.db).",
        ),
    ] = None,
) -> None:
    CTX.db = db


@app.command("import")
def import_cmd(
    paths: Annotated[list[Path], typer.Argument(
        help="Files (.txt, .jsonl, .json, .csv, .tsv, each optionally .gz; a .txt with a "
        ".ann beside it is a brat document) or folders.")],
    annotator: Annotated[
        str | None,
        typer.Option(
            "--annotator",
            help="Store the records' spans and events (and brat .ann annotations) as this "
            "annotator's finished work.",
        ),
    ] = None,
    no_clean: Annotated[bool, typer.Option("--no-clean", help="Keep the text as it is.")] = False,
    max_chars: Annotated[
        int,
        typer.Option(
            "--max-chars", min=1, help="Reject a document longer than this (characters, as read)."
        ),
    ] = 1_000_000,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Read, clean and check everything; store nothing.")] = False,
    show_cleaning: Annotated[bool, typer.Option(
        "--show-cleaning", help="Print each line cleaning removes, and why.")] = False,
    show_duplicates: Annotated[bool, typer.Option(
        "--show-duplicates", help="Name each duplicate and the stored document it matched."
    )] = False,
    text_field: Annotated[str | None, typer.Option(
        "--text-field", help="The field (or CSV column) holding the text "
        "(default: text, content, body).")] = None,
    id_field: Annotated[str | None, typer.Option(
        "--id-field", help="The field holding the id (default: id, url).")] = None,
    title_field: Annotated[str | None, typer.Option(
        "--title-field", help="The field holding the title (default: title, headline).")
    ] = None,
) -> None:
    """Import articles: clean, split sentences, store; re-importing the same text is a no-op."""
    _run(
        "annotator.commands.importing:run_import",
        CTX.db,
        paths,
        annotator=annotator,
        clean=not no_clean,
        max_chars=max_chars,
        dry_run=dry_run,
        show_cleaning=show_cleaning,
        show_duplicates=show_duplicates,
        text_field=text_field,
        id_field=id_field,
        title_field=title_field,
    )


@app.command()
def annotate(
    user: Annotated[
        str | None,
        typer.Option(
            "--user", help="Annotator name (default $ANNOTATOR_USER, then the login name)."
        ),
    ] = None,
    doc: Annotated[
        str | None, typer.Option("--doc", help="Open this document (external id).")
    ] = None,
    bidi: Annotated[
        str,
        typer.Option("--bidi", help="app (we lay out RTL), terminal (the terminal reorders), off."),
    ] = "app",
    max_width: Annotated[
        int,
        typer.Option("--max-width", help="The article's widest line in columns on a wide "
                     "terminal (0: no limit).", show_default=True),
    ] = 110,
) -> None:
    """Open the annotation TUI (on a database that holds documents: import them first)."""
    _run("annotator.commands.annotate:run_annotate", CTX.db, user=user, doc=doc, bidi=bidi,
         max_width=max_width)


@app.command()
def status(json_out: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False):
    """Documents, and per annotator: new / in-progress / done documents, spans, event labels."""
    _run("annotator.commands.status:run_status", CTX.db, json_out=json_out)


@app.command()
def agreement(
    annotators: Annotated[str | None, typer.Option("--annotators", help="A,B,...")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="A Markdown report.")] = False,
    all_disagreements: Annotated[
        bool, typer.Option("--all-disagreements", help="List every disagreement (default: "
                           "the first 1,000, most disputed documents first; all are counted).")
    ] = False,
    by: Annotated[
        list[str] | None,
        typer.Option("--by", help="A view: document (worst first, the adjudicator's to-do "
                     "list), pair (a matrix per measure), week or batch (an import); "
                     "repeatable."),
    ] = None,
    against: Annotated[
        str | None, typer.Option("--against", help="gold: each annotator's precision, "
                                 "recall and F1 against adjudicated gold.")
    ] = None,
    confusion: Annotated[
        bool, typer.Option("--confusion", help="Label confusion matrix per pair "
                           "(spans at the same offsets).")
    ] = False,
    csv_dir: Annotated[
        Path | None, typer.Option("--csv", metavar="DIR", help="Also write one CSV per "
                                  "table into DIR (pairs, labels and each view asked for).")
    ] = None,
    chart: Annotated[
        bool, typer.Option("--chart", help="Bars: F1 per label (and the trend per "
                           "week/batch with --by).")
    ] = False,
    min_units: Annotated[
        int, typer.Option("--min-units", metavar="N", help="A figure on fewer than N units "
                          "is shown with a caution.")
    ] = 30,
) -> None:
    """Inter-annotator agreement over the documents each annotator marked done."""
    if json_out and markdown:
        _run("annotator.cli:_usage", "--json and --markdown exclude each other")
    _run(
        "annotator.commands.agreement:run_agreement",
        CTX.db,
        annotators=annotators,
        json_out=json_out,
        markdown=markdown,
        max_disagreements=None if all_disagreements else DISAGREEMENTS_LISTED,
        by=by,
        against=against,
        confusion_matrix=confusion,
        csv_dir=csv_dir,
        chart=chart,
        min_units=min_units,
    )


@app.command()
def adjudicate(
    user: Annotated[str | None, typer.Option("--user", help="Adjudicator name.")] = None,
    auto: Annotated[
        bool, typer.Option("--auto", help="Copy unanimous annotations to gold.")
    ] = False,
    bidi: Annotated[str, typer.Option("--bidi", help="app, terminal or off.")] = "app",
) -> None:
    """Turn the annotators' versions into gold (--auto: take what all agree on)."""
    _run("annotator.commands.adjudicate:run_adjudicate", CTX.db, user=user, auto=auto, bidi=bidi)


@app.command()
def export(
    out: Annotated[
        Path, typer.Argument(help="Output file (jsonl, conll, events; spacy: a file, or a "
                                  "folder of shards) or folder (brat).")
    ],
    source: Annotated[
        str, typer.Option("--source", help="gold | majority | annotator:NAME")
    ] = "gold",
    fmt: Annotated[str, typer.Option(
        "--format", help="jsonl | conll | spacy | brat | events (sentence-level JSONL for "
                         "event extraction)")] = "jsonl",
    split: Annotated[
        str | None, typer.Option("--split", help="e.g. train=0.8,dev=0.1,test=0.1")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed for the split.")] = 0,
    json_out: Annotated[bool, typer.Option("--json", help="JSON summary on stdout.")] = False,
) -> None:
    """Export annotations for training NER and event models."""
    _run(
        "annotator.commands.export:run_export",
        CTX.db,
        out,
        source=source,
        fmt=fmt,
        split=split,
        seed=seed,
        json_out=json_out,
    )


@app.command()
def role(
    name: Annotated[str, typer.Argument(help="User name.")],
    role_name: Annotated[str, typer.Argument(metavar="ROLE", help="annotator | adjudicator")],
) -> None:
    """Grant a user a role (adjudicator may open `annotator adjudicate`)."""
    _run("annotator.commands.status:run_role", CTX.db, name, role_name)


@app.command("log")
def log_cmd(
    user: Annotated[
        str | None,
        typer.Option("--user", help="Changes NAME made, and changes to NAME's annotations."),
    ] = None,
    doc: Annotated[
        str | None, typer.Option("--doc", help="Changes to this document (external id).")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="ISO date/date-time (UTC) or an age: 30m, 2h, 7d."),
    ] = None,
    last: Annotated[
        int | None, typer.Option("--last", help="Only the N most recent matching changes.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="JSON Lines on stdout.")] = False,
) -> None:
    """The audit trail: every change, who (and from which user@host), when, before/after."""
    _run("annotator.commands.log:run_log", CTX.db, user=user, doc=doc, since=since,
         json_out=json_out, last=last)


@schema_app.command("show")
def schema_show(
    file: Annotated[
        Path | None, typer.Argument(help="Schema file (default: the database's schema)")
    ] = None,
    toml: Annotated[bool, typer.Option("--toml", help="Print the TOML text as stored.")
                    ] = False,
    history: Annotated[bool, typer.Option("--history", help="List the stored versions.")
                       ] = False,
) -> None:
    """The database's label schema (version, digest): entity and event types with hotkeys,
    colours and descriptions, event roles and attributes."""
    _run("annotator.commands.schema_cmd:run_show", file, CTX.db, toml=toml, history=history)


@schema_app.command("check")
def schema_check(
    file: Annotated[
        Path | None, typer.Argument(help="Schema file (default: the database's schema)")
    ] = None,
) -> None:
    """Validate a label schema: every problem on its own line, exit 1 when there are any."""
    _run("annotator.commands.schema_cmd:run_check", file, CTX.db)


@schema_app.command("set")
def schema_set(
    file: Annotated[Path, typer.Argument(help="The new schema (TOML).")],
    rename: Annotated[list[str] | None, typer.Option(
        "--rename", help="OLD=NEW: migrate the annotations labelled OLD to NEW "
        "(repeatable).")] = None,
    user: Annotated[str | None, typer.Option(
        "--user", help="Who makes the change (default $ANNOTATOR_USER, then the login name)."
    )] = None,
    note: Annotated[str, typer.Option("--note", help="Why, for the log.")] = "",
) -> None:
    """Make FILE the project's label schema (a new version, logged): labels in use must stay
    unless renamed with --rename, which migrates them in the same transaction."""
    _run("annotator.commands.schema_cmd:run_set", CTX.db, file, renames=rename or [],
         user=user, note=note)


# ------------------------------------------------------------------- suggestions
@app.command()
def suggest(
    user: Annotated[str | None, typer.Option(
        "--user", help="Annotator name (default $ANNOTATOR_USER, then the login name).")
    ] = None,
    doc: Annotated[str | None, typer.Option(
        "--doc", help="Only this document (external id).")] = None,
    all_docs: Annotated[bool, typer.Option(
        "--all", help="Every document the annotator has not marked done (the default).")
    ] = False,
    source: Annotated[str | None, typer.Option(
        "--source", help="Comma-separated: occurrences,gazetteer,model (default all).")
    ] = None,
    json_out: Annotated[bool, typer.Option(
        "--json", help="One JSON line per pending suggestion on stdout.")] = False,
    evaluate: Annotated[bool, typer.Option(
        "--evaluate", help="Cross-validate each source on the annotator's finished "
        "documents (precision, recall, F1 per label and micro).")] = False,
) -> None:
    """Compute and store pending suggestions for an annotator's unfinished documents."""
    _run("annotator.commands.suggest_cmd:run_suggest", CTX.db, user=user, doc=doc,
         all_docs=all_docs, sources=source, json_out=json_out, evaluate=evaluate)


@gazetteer_app.command("add")
def gazetteer_add(
    file: Annotated[Path, typer.Argument(
        help="One name a line (with --label), or name<TAB>label lines (UTF-8).")],
    label: Annotated[str | None, typer.Option(
        "--label", help="The entity type of the file's names (a TSV label wins).")] = None,
) -> None:
    """Add a file's names; a bad line is reported (file:line), skipped, exit status 1."""
    _run("annotator.commands.gazetteer_cmd:run_add", CTX.db, file, label=label)


@gazetteer_app.command("list")
def gazetteer_list(
    label: Annotated[str | None, typer.Option("--label", help="Only this label.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="JSON Lines on stdout.")] = False,
) -> None:
    """List the gazetteer's names with their labels and the file they came from."""
    _run("annotator.commands.gazetteer_cmd:run_list", CTX.db, label=label, json_out=json_out)


@gazetteer_app.command("remove")
def gazetteer_remove(
    names: Annotated[list[str] | None, typer.Argument(
        help="Names to remove (matched ignoring hamza, tashkeel …).")] = None,
    label: Annotated[str | None, typer.Option(
        "--label", help="Every name of this label (with NAMEs: only this label's).")
    ] = None,
    source: Annotated[str | None, typer.Option(
        "--source", help="Every name added from this file (as given to add).")] = None,
) -> None:
    """Remove names: NAME..., or --label L, or --source FILE."""
    _run("annotator.commands.gazetteer_cmd:run_remove", CTX.db, list(names or []),
         label=label, source=source)


def _usage(message: str) -> int:
    raise UsageError(message)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
