"""Benchmark: `annotator export` and `annotator agreement --json` on a large corpus.

Builds a temporary database of N documents (default 10,000) x 3 annotators (alice, bob,
carol, all done) x 40 spans each, plus document and sentence event labels, with bulk
`executemany` inserts (seconds, not minutes). Then runs each measured command in a fresh
subprocess and reports wall seconds and that process's peak RSS (from `os.wait4`):

* baseline: ONE raw SQL query (sqlite3, no ORM) that fetches the same rows the export
  reads (documents' id/title/text once each, the spans and event labels of the source's
  annotators), grouped per document and dumped as one JSON line each;
* `annotator export OUT.jsonl --source annotator:alice` and `--source majority`;
* `annotator export OUT.conll` and `OUT.spacy --format ...` of `annotator:alice`, against
  that source's JSONL export measured in the same run (spaCy skipped when not installed);
* `annotator agreement --json` and `--json --by document` (each printed as "not
  available" when the command or option is missing).

Targets: export <= 2x its baseline; CoNLL <= 2x and spaCy <= 4x the JSONL export, spaCy
<= 600 MB peak; `agreement --json` <= 1.0x the majority baseline and <= 400 MB, and
`--by document` adds <= 20%.

    .venv/bin/python benchmarks/export_agreement.py            # 10,000 documents
    .venv/bin/python benchmarks/export_agreement.py --docs 1000
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from child_process import MEM_LIMIT_MB, annotator_cmd, measure

ANNOTATORS = ("alice", "bob", "carol")
ENTITIES = ("PERS", "NORP", "OCC", "ORG", "GPE", "LOC", "FAC", "EVENT", "DATE", "CARDINAL")
EVENTS = ("MEET", "VISIT", "STATEMENT", "COOPERATE", "ATTACK", "ARREST", "THREAT",
          "SECURE_EVENT", "HOST", "TRAIN")
WORDS = ("أكد", "وزير", "الداخلية", "المغربي", "عبد", "الوافي", "لفتيت", "على", "أهمية",
         "التعاون", "الأمني", "بين", "المملكة", "وإسبانيا", "في", "مجال", "مكافحة", "الإرهاب",
         "والجريمة", "المنظمة", "خلال", "لقائه", "بنظيره", "الإسباني", "بالرباط", "يوم",
         "الثلاثاء", "للبوليساريو", "المكتب", "المركزي", "للأبحاث", "القضائية", "تفكيك",
         "خلية", "إرهابية", "بمدينة", "طنجة", "وحجز", "أسلحة", "و", "30/03/2022", "3.5")
SENTENCES_PER_DOC = 12
WORDS_PER_SENTENCE = 16
SPANS_PER_ANNOTATOR = 40
AGREE = 0.85  # chance an annotator keeps a span of the shared "truth"

BASELINE = r'''
import json, sqlite3, sys
db, out, names = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
con = sqlite3.connect(db)
marks = ",".join("?" * len(names))
ids = f"SELECT id FROM annotator WHERE name IN ({marks})"
q = f"""
WITH rows AS (
  SELECT document_id, 0 AS kind, start, "end", label, NULL AS scope, annotator_id
    FROM span WHERE annotator_id IN ({ids})
  UNION ALL
  SELECT document_id, 1, start, "end", label, scope, annotator_id
    FROM eventlabel WHERE annotator_id IN ({ids})
), numbered AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY document_id) AS rn FROM rows
)
SELECT d.external_id, CASE WHEN n.rn = 1 THEN d.title END,
       CASE WHEN n.rn = 1 THEN d.text END, n.kind, n.start, n."end", n.label, n.scope,
       n.annotator_id
  FROM numbered n JOIN document d ON d.id = n.document_id
 ORDER BY d.external_id, n.rn
"""
n = 0
with open(out, "w", encoding="utf-8") as fh:
    cur = None
    for ext, title, text, kind, s, e, label, scope, ann in con.execute(q, names + names):
        if cur is None or cur["id"] != ext:
            if cur is not None:
                fh.write(json.dumps(cur, ensure_ascii=False) + "\n"); n += 1
            cur = {"id": ext, "title": title, "text": text, "spans": [], "events": []}
        if kind == 0:
            cur["spans"].append([s, e, label, ann])
        else:
            cur["events"].append([label, scope, s, e, ann])
    if cur is not None:
        fh.write(json.dumps(cur, ensure_ascii=False) + "\n"); n += 1
print(json.dumps({"documents": n}))
'''


def _text(rng: random.Random) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    """Text, sentence ranges, token ranges."""
    parts: list[str] = []
    sentences: list[tuple[int, int]] = []
    tokens: list[tuple[int, int]] = []
    pos = 0
    for _ in range(SENTENCES_PER_DOC):
        start = pos
        for k in range(WORDS_PER_SENTENCE):
            w = rng.choice(WORDS)
            if k:
                parts.append(" ")
                pos += 1
            parts.append(w)
            tokens.append((pos, pos + len(w)))
            pos += len(w)
        parts.append(".")
        pos += 1
        sentences.append((start, pos))
        parts.append(" ")
        pos += 1
    return "".join(parts).rstrip(), sentences, tokens


def build(db: Path, n_docs: int, seed: int = 1) -> dict[str, float]:
    """Create the schema through the Store (migrations), then bulk-insert the corpus."""
    from annotator.commands.common import open_store

    store, _schema = open_store(str(db))
    store.close()
    rng = random.Random(seed)
    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("PRAGMA synchronous = OFF")
    now = datetime.now(UTC).isoformat(sep=" ")
    ann_ids = {}
    for name in ANNOTATORS:
        cur = con.execute("INSERT INTO annotator (name, role) VALUES (?, 'annotator')", (name,))
        ann_ids[name] = cur.lastrowid
    docs, sents, spans, events, assigns = [], [], [], [], []
    n_spans = n_events = 0

    def flush() -> None:
        con.executemany(
            "INSERT INTO document (id, external_id, title, text, sha256, source_path, meta, "
            "created_at) VALUES (?, ?, ?, ?, ?, NULL, '{}', ?)", docs)
        con.executemany('INSERT INTO sentence (document_id, "index", start, "end") '
                        "VALUES (?, ?, ?, ?)", sents)
        con.executemany('INSERT INTO span (document_id, annotator_id, start, "end", label, '
                        "created_at) VALUES (?, ?, ?, ?, ?, ?)", spans)
        con.executemany('INSERT INTO eventlabel (document_id, annotator_id, label, scope, '
                        'start, "end", created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', events)
        con.executemany("INSERT INTO assignment (document_id, annotator_id, status, "
                        "updated_at) VALUES (?, ?, 'done', ?)", assigns)
        for rows in (docs, sents, spans, events, assigns):
            rows.clear()

    for d in range(1, n_docs + 1):
        text, sentences, tokens = _text(rng)
        docs.append((d, f"doc{d:06d}", f"title {d}", text, f"{d:064x}", now))
        sents.extend((d, i, s, e) for i, (s, e) in enumerate(sentences))

        def random_span(tokens: list[tuple[int, int]] = tokens) -> tuple[int, int, str]:
            i = rng.randrange(len(tokens) - 3)
            j = i + rng.choice((1, 1, 2, 3))
            return tokens[i][0], tokens[j - 1][1], rng.choice(ENTITIES)

        truth: set[tuple[int, int, str]] = set()
        while len(truth) < SPANS_PER_ANNOTATOR:
            truth.add(random_span())
        doc_events = rng.sample(EVENTS, 2)
        sent_events = [(rng.choice(sentences), rng.choice(EVENTS)) for _ in range(3)]
        for name in ANNOTATORS:
            a = ann_ids[name]
            mine = {s for s in sorted(truth) if rng.random() < AGREE}
            while len(mine) < SPANS_PER_ANNOTATOR:
                mine.add(random_span())
            spans.extend((d, a, s, e, label, now) for s, e, label in mine)
            labels = [x for x in doc_events if rng.random() < AGREE] or [rng.choice(EVENTS)]
            events.extend((d, a, label, "document", None, None, now) for label in labels)
            chosen = {(r, lab) for r, lab in sorted(set(sent_events)) if rng.random() < AGREE}
            events.extend((d, a, lab, "sentence", r[0], r[1], now) for r, lab in chosen)
            assigns.append((d, a, now))
            n_spans += len(mine)
            n_events += len(labels) + len(chosen)
        if d % 1000 == 0:
            flush()
    flush()
    con.commit()
    con.close()
    return {"seconds": time.perf_counter() - t0, "spans": n_spans, "events": n_events}




def agreement_available() -> bool:
    """Whether annotator/commands/agreement.py exists (found without importing annotator,
    which would raise this process's RSS and so every child's starting peak)."""
    spec = importlib.util.find_spec("annotator")
    return bool(spec and spec.origin and
                (Path(spec.origin).parent / "commands" / "agreement.py").exists())


def row(name: str, r: dict[str, object], verdict: str = "") -> None:
    print(f"{name:<38} {r['seconds']:>8.2f} s {r['rss_mb']:>9.0f} MB  {verdict}")


def token_formats(ann: list[str], db: Path, work: Path, source: str,
                  jsonl: dict[str, object], args: argparse.Namespace) -> bool:
    """CoNLL and spaCy exports of `source`, against its JSONL export measured just before:
    CoNLL <= 2x, spaCy <= 4x and <= 600 MB. spaCy is skipped when not installed."""
    ok = True
    formats = [("conll", "out.conll", 2.0, None)]
    if importlib.util.find_spec("spacy") is not None:
        formats.append(("spacy", "out.spacy", 4.0, 600))
    else:
        print("export spacy: not available (spaCy not installed)")
    for fmt, name, limit, mb in formats:
        res = measure([*ann, "--db", str(db), "export", str(work / name), "--source", source,
                       "--format", fmt, "--json"], work, args.timeout, args.mem_limit)
        if res["code"] != 0:
            last = (res["stderr"].strip().splitlines() or [""])[-1]  # type: ignore[union-attr]
            row(f"export {fmt} {source}", res, f"FAILED exit {res['code']}: {last}")
            ok = False
            continue
        written = [Path(f) for f in json.loads(res["stdout"])["files"]]  # type: ignore[arg-type]
        parts = sum(len(list(f.glob("*.spacy"))) if f.is_dir() else 1 for f in written)
        ratio = res["seconds"] / jsonl["seconds"]  # type: ignore[operator]
        good = ratio <= limit and (mb is None or res["rss_mb"] <= mb)  # type: ignore[operator]
        ok &= good
        target = f"{limit:.0f}x" + (f" / {mb} MB" if mb else "")
        row(f"export {fmt} {source}", res, f"{ratio:.2f}x jsonl "
            f"{'OK' if good else 'OVER ' + target} ({parts} file{'s' * (parts != 1)})")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=10_000, help="documents (default 10000)")
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it")
    ap.add_argument("--timeout", type=float, default=600, help="per command, seconds")
    ap.add_argument("--mem-limit", type=int, default=MEM_LIMIT_MB,
                    help="address-space cap per measured command, MB (default 4096)")
    ap.add_argument("--build-only", type=Path, metavar="DB", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.build_only:  # the child that builds: keeps the measuring parent small
        print(json.dumps(build(args.build_only, args.docs)))
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "bench.db"
    if db.exists():
        db.unlink()
    try:
        # built in a child process: a forked child starts with its parent's peak RSS,
        # so the parent must never load annotator itself
        made = subprocess.run([sys.executable, __file__, "--docs", str(args.docs),
                               "--build-only", str(db)], capture_output=True, text=True)
        if made.returncode != 0:
            print(made.stderr)
            return 1
        built = json.loads(made.stdout)
        print(f"built {args.docs} documents x {len(ANNOTATORS)} annotators: "
              f"{built['spans']:,} spans, {built['events']:,} event labels in "
              f"{built['seconds']:.1f} s ({db.stat().st_size / 2**20:.0f} MB database)")
        print(f"{'command':<38} {'wall':>10} {'peak RSS':>12}")
        ann = annotator_cmd()
        ok = True
        for source, names in (("annotator:alice", ["alice"]), ("majority", list(ANNOTATORS))):
            base = measure([sys.executable, "-c", BASELINE, str(db), str(work / "base.jsonl"),
                            ",".join(names)], work, args.timeout, args.mem_limit)
            if base["code"] != 0:
                print(base["stderr"])
                return 1
            row(f"baseline (raw SQL) {source}", base)
            majority_base = base["seconds"]
            res = measure([*ann, "--db", str(db), "export", str(work / "out.jsonl"),
                           "--source", source, "--json"], work, args.timeout, args.mem_limit)
            if res["code"] != 0:
                print(f"export {source} failed: {res['stderr'].strip()}")
                ok = False
                continue
            docs = json.loads(res["stdout"])["documents"]
            ratio = res["seconds"] / base["seconds"]  # type: ignore[operator]
            good = ratio <= 2.0
            ok &= good
            row(f"export jsonl {source}", res,
                f"{ratio:.2f}x baseline {'OK' if good else 'OVER 2x'} ({docs} docs)")
            if source == "annotator:alice":
                ok &= token_formats(ann, db, work, source, res, args)
        if not agreement_available():
            print("agreement: not available")
        else:
            plain = None
            for extra in ([], ["--by", "document"]):
                name = " ".join(["agreement --json", *extra])
                res = measure([*ann, "--db", str(db), "agreement", "--json", *extra], work,
                              args.timeout, args.mem_limit)
                if res["timed_out"]:
                    row(name, res, f"killed after {args.timeout:.0f} s: OVER")
                    ok = False
                elif res["code"] != 0:
                    last = (res["stderr"].strip().splitlines() or [""])[-1]  # type: ignore[union-attr]
                    if extra and res["code"] == 2:  # the option does not exist (yet)
                        print(f"{name}: not available (usage error, exit 2)")
                        continue
                    why = "killed (SIGKILL: out of memory?)" if res["code"] == -9 else last
                    row(name, res, f"FAILED exit {res['code']}: {why}")
                    ok = False
                elif not extra:
                    plain = res
                    ratio = res["seconds"] / majority_base  # type: ignore[operator]
                    good = ratio <= 1.0 and res["rss_mb"] <= 400  # type: ignore[operator]
                    ok &= good
                    row(name, res, f"{ratio:.2f}x baseline majority "
                        f"{'OK' if good else 'OVER (1.0x / 400 MB)'}")
                else:
                    added = (res["seconds"] / plain["seconds"] - 1 if plain  # type: ignore[operator]
                             else float("nan"))
                    good = added <= 0.20
                    ok &= good
                    row(name, res, f"{added:+.0%} over agreement --json "
                        f"{'OK' if good else 'OVER (+20%)'}")
        return 0 if ok else 1
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
