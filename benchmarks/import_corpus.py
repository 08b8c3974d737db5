"""Benchmark: `annotator import` of a large generated corpus, against same-run baselines.

Generates (benchmarks/corpus_gen.py, seeded) N realistic Arabic articles (default 30,000,
~50 M characters; ~5% not NFC, ~2% repeated texts) and the same records with entity spans
(~200k for 30,000), then runs each step in its own subprocess and reports wall seconds and
that process's peak RSS (`os.wait4`; the parent never imports annotator, so no child
inherits a large peak). The children keep a bytecode cache (in the work folder, written by
an untimed warm-up import), even under PYTHONDONTWRITEBYTECODE, as an installed program
would; recompiling the annotator's modules in every run would add a second or more:

* A  raw insert: stream the JSONL, `json.loads`, texts into a plain table (executemany;
     on PostgreSQL COPY): for scale only;
* B  same work: stream, NFC, sha256 dedupe (the database's hashes plus this run's),
     the project's sentence splitter (`annotator.text.segment.split_sentences`),
     document + sentence rows into the project's own schema (made by its migrations,
     untimed), 1,000 documents a transaction (sqlite3 executemany with the project's
     pragmas: WAL, synchronous FULL; on PostgreSQL COPY);
* `annotator import corpus.jsonl` into a fresh database: <= 2x B;
* the same import again (every text already there): <= 0.3x the first import (B run
  again on its own database is printed for scale: parsing, NFC and hashing every text);
* C  raw span insert: stream spans.jsonl, `json.loads`, and insert the same
     (document_id, annotator_id, start, end, label) rows into the project's span table
     (document ids from one external_id query; executemany, on PostgreSQL COPY);
* `annotator import spans.jsonl --annotator alice` into the database imported above
  (texts already there): <= 3x C;
* every annotator step: peak RSS <= 500 MB (the input must be streamed).

SQLite by default (files in a temporary folder). With `--db postgresql+psycopg://...` the
same steps run on that server instead: each database of the run is a fresh schema
(`import_bench_<random>_<step>`) in the URL's database, used through
`options=-csearch_path=...` and dropped at the end (`--keep` keeps them); nothing else in
that database is touched. Prints a table (step, seconds, peak RSS, ratio, target,
PASS/FAIL); always exits 0 (it is a report), unless a baseline itself fails.

    .venv/bin/python benchmarks/import_corpus.py                 # 30,000 documents, SQLite
    .venv/bin/python benchmarks/import_corpus.py --docs 2000
    .venv/bin/python benchmarks/import_corpus.py --db postgresql+psycopg://annotator@127.0.0.1:54329/postgres
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

import child_process  # (this folder is on sys.path)
from child_process import MEM_LIMIT_MB, annotator_cmd

HERE = Path(__file__).resolve().parent
RSS_TARGET_MB = 500
IMPORT_VS_B = 2.0
REIMPORT_VS_IMPORT = 0.3
SPANS_VS_C = 3.0

# --------------------------------------------------------------------------- baselines
# Each runs as `python -c SCRIPT backend target file`: backend "sqlite" (target: a file)
# or "pg" (target: a libpq URL whose search_path is the run's schema). Prints JSON counts.
COMMON = r'''
import json, sys
BATCH = 1000  # documents a transaction (B), rows an executemany / COPY
from datetime import UTC, datetime
backend, target, path = sys.argv[1], sys.argv[2], sys.argv[3]
now = datetime.now(UTC).replace(tzinfo=None)

def records(p):
    with open(p, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)

def batches(it, n):
    out = []
    for x in it:
        out.append(x)
        if len(out) >= n:
            yield out
            out = []
    if out:
        yield out

def connect():
    if backend == "sqlite":
        import sqlite3
        con = sqlite3.connect(target, isolation_level=None)
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = FULL")
        return con
    import psycopg
    return psycopg.connect(target)

def insert(con, table, cols, rows):
    """rows into table: executemany on SQLite, COPY on PostgreSQL (inside the caller's
    transaction)."""
    if backend == "sqlite":
        marks = ", ".join("?" * len(cols))
        names = ", ".join(f'"{c}"' for c in cols)
        con.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    else:
        names = ", ".join(f'"{c}"' for c in cols)
        with con.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as cp:
            for r in rows:
                cp.write_row(r)

def begin(con):
    if backend == "sqlite":
        con.execute("BEGIN")

def commit(con):
    if backend == "pg":
        con.commit()
    else:
        con.execute("COMMIT")
'''

BASELINE_A = COMMON + r'''
con = connect()
con.execute("CREATE TABLE IF NOT EXISTS raw_doc (id INTEGER PRIMARY KEY, "
            "external_id TEXT UNIQUE, title TEXT, text TEXT)")
if backend == "pg":
    commit(con)
n = 0
begin(con)
for batch in batches(records(path), BATCH):
    rows = [(n + i + 1, r["id"], r.get("title") or "", r["text"]) for i, r in enumerate(batch)]
    insert(con, "raw_doc", ("id", "external_id", "title", "text"), rows)
    n += len(rows)
commit(con)
print(json.dumps({"rows": n}))
'''

BASELINE_B = COMMON + r'''
import hashlib, unicodedata
from annotator.text.segment import split_sentences
con = connect()
seen = {row[0] for row in con.execute("SELECT sha256 FROM document")}
next_id = (con.execute("SELECT MAX(id) FROM document").fetchone()[0] or 0) + 1
if backend == "pg":
    commit(con)
meta = json.dumps({"source_path": path})
added = dups = sents = 0
for batch in batches(records(path), BATCH):
    docs, rows = [], []
    for r in batch:
        text = unicodedata.normalize("NFC", r["text"])
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if sha in seen:
            dups += 1
            continue
        seen.add(sha)
        doc_id, next_id = next_id, next_id + 1
        docs.append((doc_id, r["id"], r.get("title") or "", text, sha, path, meta, now))
        rows.extend((doc_id, i, s, e) for i, (s, e) in enumerate(split_sentences(text)))
    if docs:
        begin(con)
        insert(con, "document", ("id", "external_id", "title", "text", "sha256",
                                 "source_path", "meta", "created_at"), docs)
        insert(con, "sentence", ("document_id", "index", "start", "end"), rows)
        commit(con)
        added += len(docs)
        sents += len(rows)
if backend == "pg":
    con.execute("SELECT setval(pg_get_serial_sequence('document', 'id'), "
                "(SELECT MAX(id) FROM document))")
    commit(con)
print(json.dumps({"added": added, "duplicates": dups, "sentences": sents}))
'''

BASELINE_C = COMMON + r'''
con = connect()
cur = con.execute("SELECT id FROM annotator WHERE name = 'alice'").fetchone()
if cur is None:
    con.execute("INSERT INTO annotator (name, role) VALUES ('alice', 'annotator')")
    cur = con.execute("SELECT id FROM annotator WHERE name = 'alice'").fetchone()
ann = cur[0]
ids = dict(con.execute("SELECT external_id, id FROM document").fetchall())
if backend == "pg":
    commit(con)
n = skipped = 0
begin(con)
for batch in batches(records(path), BATCH):
    rows = []
    for r in batch:
        doc = ids.get(r["id"])
        if doc is None:  # a repeated text: its spans are already stored with the first
            skipped += 1
            continue
        rows.extend((doc, ann, s["start"], s["end"], s["label"], now) for s in r["spans"])
    insert(con, "span", ("document_id", "annotator_id", "start", "end", "label",
                         "created_at"), rows)
    n += len(rows)
commit(con)
print(json.dumps({"spans": n, "skipped_records": skipped}))
'''

MAKE_SCHEMA = r'''
import sys
from annotator.commands.common import open_store
store, _ = open_store(sys.argv[1])
store.close()
'''


# --------------------------------------------------------------------------- measuring
def child_env(work: Path) -> dict[str, str]:
    """The measured processes' environment: Python's bytecode cache on (in the work
    folder), as for an installed program, even under PYTHONDONTWRITEBYTECODE (set here):
    otherwise every run compiles the annotator's modules again, a second or more."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


ENV: dict[str, str] | None = None  # set by main(): child_env(work)


def measure(cmd: list[str], cwd: Path, timeout: float,
            mem_limit_mb: int = MEM_LIMIT_MB) -> dict[str, object]:
    """`child_process.measure` in the benchmark's environment (`child_env`)."""
    return child_process.measure(cmd, cwd, timeout, mem_limit_mb, env=ENV)


def _last_line(text: object) -> str:
    lines = str(text).strip().splitlines()
    return lines[-1] if lines else ""


# --------------------------------------------------------------------------- backends
class SqliteBackend:
    name = "SQLite"
    backend = "sqlite"

    def __init__(self, work: Path) -> None:
        self.work = work

    def target(self, tag: str) -> str:
        """A fresh database file for one step (any left from a --keep run is removed)."""
        path = self.work / f"{tag}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return str(path)

    def annotator_db(self, target: str) -> str:
        return target

    def baseline_target(self, target: str) -> str:
        return target

    def cleanup(self) -> None:
        pass


PG_EXEC = r'''
import sys
import psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    for sql in sys.argv[2:]:
        conn.execute(sql)
'''


class PgBackend:
    """Fresh schemas in the URL's database. URLs are handled with urllib and statements
    run in a child process: the parent loads neither SQLAlchemy nor psycopg, whose memory
    every forked child would otherwise start its peak RSS with."""

    name = "PostgreSQL"
    backend = "pg"

    def __init__(self, url: str) -> None:
        scheme, sep, rest = url.partition("://")
        if not sep or scheme.split("+")[0] not in ("postgresql", "postgres"):
            raise SystemExit(f"--db must be a PostgreSQL URL (postgresql+psycopg://...), "
                             f"not {scheme or url!r}")
        self.rest = rest  # user:password@host:port/database?query
        self.prefix = f"import_bench_{uuid.uuid4().hex[:8]}"
        self.schemas: list[str] = []

    def _url(self, scheme: str, schema: str | None = None) -> str:
        parts = urllib.parse.urlsplit(f"{scheme}://{self.rest}")
        query = urllib.parse.parse_qsl(parts.query)
        if schema is not None:
            query = [(k, v) for k, v in query if k != "options"]
            query.append(("options", f"-csearch_path={schema}"))
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))

    def _exec(self, *sql: str) -> None:
        done = subprocess.run([sys.executable, "-c", PG_EXEC, self._url("postgresql"), *sql],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(_last_line(done.stderr))

    def target(self, tag: str) -> str:
        name = f"{self.prefix}_{tag}"
        self._exec(f'DROP SCHEMA IF EXISTS "{name}" CASCADE', f'CREATE SCHEMA "{name}"')
        self.schemas.append(name)
        return name

    def annotator_db(self, target: str) -> str:
        return self._url("postgresql+psycopg", target)

    def baseline_target(self, target: str) -> str:
        return self._url("postgresql", target)

    def cleanup(self) -> None:
        if self.schemas:
            try:
                self._exec(*(f'DROP SCHEMA IF EXISTS "{n}" CASCADE' for n in self.schemas))
            except RuntimeError as exc:
                print(f"could not drop schemas {', '.join(self.schemas)}: {exc}",
                      file=sys.stderr)


# --------------------------------------------------------------------------- report
class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str, str]] = []
        self.failed: list[str] = []

    def add(self, step: str, r: dict[str, object] | None, ratio: str = "", target: str = "",
            verdict: str = "") -> None:
        secs = f"{r['seconds']:.2f}" if r else "-"
        rss = f"{r['rss_mb']:.0f}" if r else "-"
        self.rows.append((step, secs, rss, ratio, target, verdict))
        if verdict.startswith("FAIL"):
            self.failed.append(step)
        print(f"  {step}: {secs} s, {rss} MB {ratio} {verdict}".rstrip(), flush=True)

    def print(self, title: str) -> None:
        head = ("step", "seconds", "peak RSS MB", "ratio", "target", "verdict")
        widths = [max(len(x[i]) for x in [head, *self.rows]) for i in range(6)]
        print(f"\n{title}")
        for k, row in enumerate([head, *self.rows]):
            print("  ".join(c.ljust(w) if i in (0, 4, 5) else c.rjust(w)
                            for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip())
            if k == 0:
                print("  ".join("-" * w for w in widths))
        if self.failed:
            print(f"FAIL: {len(self.failed)} target(s) not met: {', '.join(self.failed)}")
        else:
            print("PASS: every target met")


def _counts(r: dict[str, object]) -> dict[str, int]:
    """The numbers in the import's summary line ("imported: 1965 added, 35 already present,
    13329 spans and 0 event labels for alice")."""
    line = next((ln for ln in str(r["stdout"]).splitlines() if ln.startswith("imported:")), "")
    found = {}
    for key, pattern in (("added", r"([\d,]+) added"),
                         ("present", r"([\d,]+) (?:already present|duplicates?)"),
                         ("spans", r"([\d,]+) spans"), ("rejected", r"([\d,]+) rejected")):
        m = re.search(pattern, line)
        if m:
            found[key] = int(m.group(1).replace(",", ""))
    return found


def _verdict(r: dict[str, object], ratio: float, limit: float,
             expect: dict[str, int]) -> str:
    """PASS, or FAIL and why: did not finish, wrong counts, too slow, too much memory."""
    if r["timed_out"]:
        return "FAIL (timed out)"
    got = _counts(r)
    if not got:
        return f"FAIL (exit {r['code']}: {_last_line(r['stderr'])[:60]})"
    why = [f"{k} {got.get(k)} != {v}" for k, v in expect.items() if got.get(k) != v]
    if got.get("rejected"):
        why.append(f"{got['rejected']} rejected")
    if ratio > limit:
        why.append(f"over {limit:g}x")
    if r["rss_mb"] > RSS_TARGET_MB:  # type: ignore[operator]
        why.append(f"over {RSS_TARGET_MB} MB")
    return f"FAIL ({', '.join(why)})" if why else "PASS"


def run(args: argparse.Namespace, be: SqliteBackend | PgBackend, work: Path) -> Report:
    py = sys.executable
    rep = Report()
    corpus, spans = work / "corpus.jsonl", work / "spans.jsonl"
    t0 = time.perf_counter()
    for out, extra in ((corpus, []), (spans, ["--spans"])):
        made = subprocess.run([py, str(HERE / "corpus_gen.py"), str(out), "--docs",
                               str(args.docs), "--seed", str(args.seed), *extra],
                              capture_output=True, text=True)
        if made.returncode != 0:
            raise SystemExit(f"corpus_gen failed: {made.stderr}")
        print(made.stderr.strip())
    print(f"generated in {time.perf_counter() - t0:.1f} s; measuring on {be.name} "
          f"({os.cpu_count()} cpus)", flush=True)

    ann = annotator_cmd()

    def baseline(step: str, script: str, target: str, path: Path) -> dict[str, object]:
        r = measure([py, "-c", script, be.backend, be.baseline_target(target), str(path)],
                    work, args.timeout, args.mem_limit)
        if r["code"] != 0:
            raise SystemExit(f"baseline {step} failed: {r['stderr']}")
        r["counts"] = json.loads(_last_line(r["stdout"]))
        return r

    def make_schema(target: str) -> None:
        made = subprocess.run([py, "-c", MAKE_SCHEMA, be.annotator_db(target)], cwd=work,
                              capture_output=True, text=True, env=ENV)
        if made.returncode != 0:
            raise SystemExit(f"creating the schema failed: {made.stderr}")

    def annotator(step: str, extra: list[str], base: dict[str, object], base_name: str,
                  limit: float, expect: dict[str, int]) -> dict[str, object]:
        r = measure([*ann, "--db", db, "import", *extra], work, args.timeout, args.mem_limit)
        ratio = r["seconds"] / base["seconds"]  # type: ignore[operator]
        rep.add(step, r, f"{ratio:.2f}x {base_name}",
                f"<= {limit:g}x {base_name}, <= {RSS_TARGET_MB} MB",
                _verdict(r, ratio, limit, expect))
        print(f"    {_last_line(r['stdout']) or '(no summary)'}")
        errors = [ln for ln in str(r["stderr"]).splitlines() if ln.strip()]
        for line in errors[:3]:
            print(f"    {line}")
        if len(errors) > 3:
            print(f"    ... {len(errors) - 3} more lines on stderr")
        return r

    # warm-up (untimed): the first run writes the bytecode cache; then the fixed cost
    one = work / "one.jsonl"
    with corpus.open(encoding="utf-8") as src:
        one.write_text(src.readline(), encoding="utf-8")
    for tag in ("warm", "one"):
        db = be.annotator_db(be.target(tag))
        fixed = measure([*ann, "--db", db, "import", str(one)], work, args.timeout,
                        args.mem_limit)

    # A: raw insert of the texts (for scale)
    a = baseline("A", BASELINE_A, be.target("a"), corpus)
    rep.add(f"A raw insert ({a['counts']['rows']:,} texts)", a, "", "(scale)", "")

    # B: the same work as an import, on the project's schema
    b_target = be.target("b")
    make_schema(b_target)
    b = baseline("B", BASELINE_B, b_target, corpus)
    bc = b["counts"]
    rep.add(f"B same work ({bc['added']:,} docs, {bc['sentences']:,} sentences)", b, "",
            "(baseline)", "")
    again = baseline("B again", BASELINE_B, b_target, corpus)
    rep.add("B again (all present)", again, f"{again['seconds'] / b['seconds']:.2f}x B",  # type: ignore[operator]
            "(scale)", "")

    # for scale: the fixed cost of one import (start-up, creating the schema), which
    # weighs on the ratios of a small --docs and hardly at all on 30,000 documents
    rep.add("annotator import of 1 record (fixed cost)", fixed,
            f"{fixed['seconds'] / b['seconds']:.2f}x B", "(scale)",  # type: ignore[operator]
            "" if fixed["code"] == 0 else f"exit {fixed['code']}")

    # the annotator's import into a fresh database, then the same file again
    db = be.annotator_db(be.target("imp"))
    first = annotator("annotator import", [str(corpus)], b, "B", IMPORT_VS_B,
                      {"added": bc["added"], "present": bc["duplicates"]})
    annotator("annotator re-import (all present)", [str(corpus)], first, "import",
              REIMPORT_VS_IMPORT, {"added": 0, "present": args.docs})

    # C: raw span insert, on B's database (the same documents, the project's schema)
    c = baseline("C", BASELINE_C, b_target, spans)
    n_spans = c["counts"]["spans"]
    rep.add(f"C raw span insert ({n_spans:,} spans)", c, "", "(baseline)", "")
    annotator("annotator import --annotator alice", [str(spans), "--annotator", "alice"], c,
              "C", SPANS_VS_C, {"spans": n_spans})
    return rep


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=30_000, help="documents (default 30000)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--db", help="a PostgreSQL URL: run on that server (fresh schemas) "
                    "instead of SQLite")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (and the "
                    "PostgreSQL schemas)")
    ap.add_argument("--timeout", type=float, default=1800, help="per command, seconds")
    ap.add_argument("--mem-limit", type=int, default=MEM_LIMIT_MB,
                    help="address-space cap per measured command, MB (default 4096)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="annotator-import-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    global ENV
    ENV = child_env(work)
    be: SqliteBackend | PgBackend = PgBackend(args.db) if args.db else SqliteBackend(work)
    try:
        rep = run(args, be, work)
        rep.print(f"import benchmark: {args.docs:,} documents on {be.name}")
        if args.docs < 30_000:
            print(f"note: the targets are for 30,000 documents; with {args.docs:,} the fixed "
                  "cost of an import (start-up, schema) weighs more on the ratios")
    finally:
        if args.keep is None:
            be.cleanup()
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
