"""How the article draws event-mention triggers: bold, italic and overlined (a line above
the word), in the event type's colour when the trigger is not inside an entity span, the
span's fill kept when it is. Spans are filled, suggestions dim and underlined, the
selection underlined and bold: only a trigger has the overline and the italic, so it reads
as a trigger in monochrome too.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style

TRIGGER = Style(bold=True, italic=True, overline=True)
NO_TYPE = "#808080"

Trigger = tuple[int, int, str]  # start, end, event type


def trigger_looks(colors: dict[str, str]) -> dict[str, Style]:
    """Per event type: a trigger's look outside any span."""
    return {name: TRIGGER + Style(color=color) for name, color in colors.items()}


def overlay_triggers(offsets: Sequence[int], styles: list[Style | None],
                     triggers: Sequence[Trigger], looks: dict[str, Style]) -> None:
    """Restyle, in place, the cells of one line (`offsets`: each cell's text offset, -1
    for none) that lie in a trigger."""
    if not triggers:
        return
    lo = min(o for o in offsets if o >= 0) if any(o >= 0 for o in offsets) else 0
    hi = max(offsets, default=-1) + 1
    near = [t for t in triggers if t[0] < hi and lo < t[1]]
    if not near:
        return
    for col, offset in enumerate(offsets):
        if offset < 0:
            continue
        hit = next((t for t in near if t[0] <= offset < t[1]), None)
        if hit is None:
            continue
        current = styles[col]
        styles[col] = (current + TRIGGER if current
                       else looks.get(hit[2]) or TRIGGER + Style(color=NO_TYPE))
