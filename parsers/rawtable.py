"""The intermediate form every layout reader produces: labelled rows of raw cell strings.

One mapper (``mapper.py``) turns these into canonical cells, whatever the layout was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(slots=True)  # thousands per document: slots make them cheaper to build and read
class RawRow:
    label: str
    key: str | None = None  # canonical row key when the reader already knows it
    cells: list[str] | None = None  # raw cell texts in printed order (None: boundaries unknown)
    columns: Sequence[str | None] | None = None  # header text above each cell, when the layout kept it
    run: str | None = None  # digits whose cell boundaries were lost
    run_boundaries: frozenset[int] = frozenset()  # offsets in ``run`` where a separator stood
    segment: str = ""  # the source text of the row's values, for unreadable rows
    block: str | None = None  # table 二: the 第二十条第（N）项 number (一, 五, 六, 八, 九)
    glued: bool = False  # the first value touched the label with no separator (seed glitch)
    leftover: str = ""  # values after the row's own line that belong to no row found (kept for the warning)


@dataclass(slots=True)
class RawTable:
    kind: str  # "t2" | "t3" | "t4"
    rows: list[RawRow] = field(default_factory=list)
    header_text: str = ""  # all header labels seen, normalised, for version detection
    layout: str = "grid"  # grid | lines | runs | pipe | cr | pdf | docx
