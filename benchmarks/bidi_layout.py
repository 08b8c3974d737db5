"""Time the RTL layout engine on a 50,000-character mixed Arabic/Latin/digits article.

Prints the median of several runs, in milliseconds, for a cold layout (caches
cleared: units, ICU levels, wrapping, reordering) at 80 and 200 columns, for a
re-wrap at a new width (paragraph analysis cached), and for shaping.

    .venv/bin/python benchmarks/bidi_layout.py
"""

from __future__ import annotations

import random
import statistics
import time
import unicodedata
from collections.abc import Callable

from annotator.bidi import clear_caches, layout_document

TARGET_CHARS = 50_000
RUNS = 7

ARABIC_WORDS = (
    "أكد وزير الداخلية في كلمة بمناسبة انعقاد الاجتماع الوزاري للتحالف الأمني الدولي "
    "على انخراط المملكة المغربية في الجهود الرامية لمنع حدوث انفلات في المنظومة الأمنية "
    "وقال إن إقامة تحالف أمني دولي يضم مجموعة من الدول المؤثرة في القرار العالمي "
    "الأربعاء مارس الجاري بدبي الإمارات العربية المتحدة السَّلامُ عَلَيْكُمْ"
).split()
LATIN_WORDS = "Interpol Europol COVID-19 Expo Dubai UN Security Council (ISIS) NATO".split()
NUMBERS = ("2022", "30", "19:11", "3.5%", "1,200", "(12)", "«2021»", "[4]")


def build_article(chars: int = TARGET_CHARS, seed: int = 7) -> str:
    """A deterministic article of about ``chars`` characters, in paragraphs."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        words: list[str] = []
        for _ in range(rng.randint(20, 120)):
            roll = rng.random()
            if roll < 0.8:
                words.append(rng.choice(ARABIC_WORDS))
            elif roll < 0.9:
                words.append(rng.choice(LATIN_WORDS))
            else:
                words.append(rng.choice(NUMBERS))
        paragraph = " ".join(words) + "."
        paragraphs.append(paragraph)
        size += len(paragraph) + 1
    return unicodedata.normalize("NFC", "\n".join(paragraphs))[:chars]


def median_ms(action: Callable[[], object], setup: Callable[[], object] | None = None) -> float:
    samples: list[float] = []
    for _ in range(RUNS):
        if setup is not None:
            setup()
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    text = build_article()
    print(f"document: {len(text)} chars, {text.count(chr(10)) + 1} paragraphs")

    def cold_both() -> None:
        layout_document(text, 80)
        layout_document(text, 200)

    def rewrap(width: int) -> Callable[[], object]:
        def run() -> object:
            clear_caches()
            layout_document(text, 120)  # warm the paragraph analyses
            start = time.perf_counter()
            layout_document(text, width)
            return time.perf_counter() - start

        return run

    cold = median_ms(cold_both, clear_caches)
    cold80 = median_ms(lambda: layout_document(text, 80), clear_caches)
    cold200 = median_ms(lambda: layout_document(text, 200), clear_caches)
    rewrap80 = statistics.median(rewrap(80)() * 1000 for _ in range(RUNS))
    rewrap200 = statistics.median(rewrap(200)() * 1000 for _ in range(RUNS))
    shaped = median_ms(lambda: layout_document(text, 80, shape=True), clear_caches)
    cached = median_ms(lambda: layout_document(text, 80))
    print(f"cold layout at 80 then 200 columns (total): {cold:7.1f} ms")
    print(f"cold layout at  80 columns:                 {cold80:7.1f} ms")
    print(f"cold layout at 200 columns:                 {cold200:7.1f} ms")
    print(f"re-wrap at  80 columns (paragraphs cached): {rewrap80:7.1f} ms")
    print(f"re-wrap at 200 columns (paragraphs cached): {rewrap200:7.1f} ms")
    print(f"cold shaped layout at 80 columns:           {shaped:7.1f} ms")
    print(f"cached layout (same text/width/mode):       {cached:7.3f} ms")


if __name__ == "__main__":
    main()
