"""What every screen needs: the store, the label schema, the user, the bidi mode."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.labelschema import LabelSchema
from annotator.store.service import Store


@dataclass(frozen=True)
class Session:
    store: Store
    schema: LabelSchema
    user: str
    bidi: str = "app"
    #: the article's widest line, in cells, on a wide terminal (0: as wide as the screen)
    max_width: int = 0

    @property
    def colors(self) -> dict[str, str]:
        return {t.name: t.color for t in [*self.schema.entities, *self.schema.events]}
