"""What `annotator import` tells its user while it runs: a progress bar on stderr (by
bytes across all files, so one big file moves too, with records/s and the rejected
count), each rejected item the moment it is rejected, and the summary at the end.

No bar when stderr is not a terminal: then the lines are plain stderr lines.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Duplicate:
    where: str  # file:line of the record that was not stored again
    external_id: str  # the id it came with
    matched: str  # the stored document's external id (same text)


@dataclass
class ImportSummary:
    added: int = 0
    duplicates: int = 0
    annotated: int = 0
    spans: int = 0
    events: int = 0
    event_mentions: int = 0  # structured event mentions stored for the annotator
    records: int = 0  # items read (articles and records, rejected ones included)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files a folder walk left out, and why
    duplicate_ids: list[Duplicate] = field(default_factory=list)
    stopped: bool = False  # the database failed as a whole: the rest was not tried
    dry_run: bool = False

    def line(self, annotator: str | None) -> str:
        verb = "would import" if self.dry_run else "imported"
        parts = [f"{self.added:,} added", f"{self.duplicates:,} duplicates"]
        if annotator is not None:
            mentions = (f", {self.event_mentions:,} event mentions"
                        if self.event_mentions else "")
            parts.append(f"{self.spans:,} spans{mentions} and {self.events:,} event labels "
                         f"for {annotator}")
        parts.append(f"{len(self.errors):,} rejected")
        if self.skipped:
            parts.append(f"{len(self.skipped):,} files skipped")
        if self.stopped:
            parts.append("stopped early")
        return f"{verb}: " + ", ".join(parts)


class Reporter:
    """Where the import's lines go as they happen. The default keeps them only in the
    summary (tests, library use); `ConsoleReporter` prints them."""

    def error(self, line: str) -> None:  # noqa: B027 - a no-op hook by design
        pass

    def notice(self, line: str) -> None:  # noqa: B027
        pass

    def info(self, line: str) -> None:  # noqa: B027
        pass

    def advance(self, done: int, summary: ImportSummary) -> None:  # noqa: B027
        pass

    def start(self, total: int) -> None:  # noqa: B027
        pass

    def stop(self) -> None:  # noqa: B027
        pass


class ConsoleReporter(Reporter):
    """Lines on stderr; with `bar`, a Rich progress bar under them."""

    def __init__(self, bar: bool, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.bar_wanted = bar
        self.progress: Any = None
        self.task: Any = None
        self.started = time.monotonic()
        self._last = 0.0

    def start(self, total: int) -> None:
        self.started = time.monotonic()
        if not self.bar_wanted:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("importing"), BarColumn(), DownloadColumn(),
            TextColumn("{task.fields[rate]} records/s · {task.fields[rejected]} rejected"),
            TimeRemainingColumn(),
            console=Console(file=self.stream), transient=True,
        )
        self.progress.start()
        self.task = self.progress.add_task("import", total=max(total, 1), rate="0",
                                           rejected="0")

    def _print(self, line: str) -> None:
        if self.progress is not None:
            self.progress.console.print(line, markup=False, highlight=False,
                                        soft_wrap=True)
        else:
            print(line, file=self.stream, flush=True)

    def error(self, line: str) -> None:
        self._print(f"annotator: {line}")

    def notice(self, line: str) -> None:
        self._print(f"annotator: note: {line}")

    def info(self, line: str) -> None:
        self._print(line)

    def advance(self, done: int, summary: ImportSummary) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if now - self._last < 0.1:
            return
        self._last = now
        rate = summary.records / max(now - self.started, 1e-6)
        self.progress.update(self.task, completed=done, rate=f"{rate:,.0f}",
                             rejected=f"{len(summary.errors):,}")

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def report_duplicates(summary: ImportSummary, say: Callable[[str], None]) -> None:
    """Every duplicate, one line each (`--show-duplicates`)."""
    for d in summary.duplicate_ids:
        say(f"{d.where}: duplicate: id {d.external_id!r} has the same text as the stored "
            f"document {d.matched!r}")
