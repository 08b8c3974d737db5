"""Width-independent analysis of one paragraph, cached per paragraph text.

Units, ICU levels (looked up at each unit's base), and the glyphs to draw in
``app`` mode (shaped when asked, mirrored at odd levels by rule L4). Wrapping at
any width and reordering reuse this, so a resize or an edit elsewhere in the
document does not call ICU again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from annotator.bidi.chars import char_info
from annotator.bidi.levels import RTL_LEVEL, paragraph_levels
from annotator.bidi.reorder import Run, level_runs
from annotator.bidi.shaping import shape_characters
from annotator.bidi.units import Units, split_units
from annotator.bidi.wrap import break_points


@dataclass(frozen=True, slots=True, eq=False)
class Paragraph:
    """One paragraph ready for wrapping and reordering."""

    units: Units
    levels: tuple[int, ...]  # embedding level of each unit (its base's level)
    app_glyphs: tuple[str, ...]  # glyph of each unit for ``app`` mode
    runs: tuple[Run, ...]  # runs of equal level over the units (logical order)
    run_starts: tuple[int, ...]  # first unit of each run
    break_points: tuple[int, ...]  # unit indices a line may end at (see wrap)
    #: Levels of every character, kept only when some zero-width character
    #: (an isolate or embedding control, a mark after one) has a level other
    #: than its unit's base: such lines are reordered character by character.
    char_levels: tuple[int, ...] | None = None
    para_level: int = RTL_LEVEL

    @property
    def all_rtl(self) -> bool:
        """Every unit at the (odd) paragraph level: each line simply reverses."""
        return len(self.runs) == 1 and self.runs[0][0] == self.para_level


@lru_cache(maxsize=8192)
def prepare_paragraph(text: str, shape: bool = False) -> Paragraph:
    """Analyse the paragraph ``text`` (no newlines) once."""
    units = split_units(text)
    char_levels = paragraph_levels(text, RTL_LEVEL)
    if not units.text:
        return Paragraph(units, (), (), (), (), (0,))
    if len(units) == len(text):  # one unit per character
        levels = char_levels
    else:
        levels = tuple(char_levels[b] for b in units.bases)
    glyphs = list(units.glyphs)
    if shape:
        _apply_shaping(text, units, glyphs)
    for u in units.mirrored:
        if levels[u] % 2:
            base_char = text[units.bases[u]]
            mirror = char_info(base_char).mirror or base_char
            glyphs[u] = mirror + glyphs[u][1:]
    runs = tuple(level_runs(levels))
    exact = any(char_levels[i] != levels[units.unit_of(i)] for i in units.zero_width)
    return Paragraph(
        units, levels, tuple(glyphs), runs, tuple(r[1] for r in runs),
        tuple(break_points(units)), char_levels if exact else None,
    )


def _apply_shaping(text: str, units: Units, glyphs: list[str]) -> None:
    shaped = shape_characters(text)
    if shaped is None:
        return
    for u, base in enumerate(units.bases):
        form = shaped[base]
        if form != text[base] and len(form) == 1:
            glyphs[u] = form + glyphs[u][1:]
