"""Recover cell boundaries from concatenated digit runs (`640020470` → 64,0,0,2,0,4,70).

A run is split into n numbers without leading zeros. Row rules (a group of cells whose last is the sum of
the others) prune the search; table-level identities then pick among the remaining candidates. A split is
accepted only when it is the single one that fits; otherwise the caller records the row as unreadable.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

MAX_CELL_DIGITS = 7
MAX_CANDIDATES = 5000


def splits(
    run: str,
    n: int,
    sum_groups: Sequence[tuple[int, int]] = (),
    max_digits: int = MAX_CELL_DIGITS,
    limit: int = MAX_CANDIDATES,
    boundaries: frozenset[int] = frozenset(),
) -> list[tuple[int, ...]]:
    """All ways to cut ``run`` into ``n`` numbers that satisfy every sum group.

    ``sum_groups`` holds half-open index ranges [a, b): parts[a:b-1] must sum to parts[b-1].
    ``boundaries`` are offsets in ``run`` where a cut is known (a space or line break stood there).
    Returns at most ``limit`` + 1 candidates (more means "too many to decide").
    """
    if not run.isdigit() or not 0 < n <= len(run):
        return []
    if run.count("0") == len(run):  # only zeros (a row of empty counts): every cell can only be a single 0
        return [(0,) * n] if len(run) == n else []
    # A group that ends the row (table 三's 总计) has its total at the end of the run: try each suffix as
    # the total first, then prune every split whose running sum already exceeds it.
    last = next(((a, b) for a, b in sum_groups if b == n), None)
    ends = {b - 1: (a, b) for a, b in sum_groups if (a, b) != last}
    out: list[tuple[int, ...]] = []
    # the longest cell that can start at each offset without spanning a known cut
    reach = [len(run) - i for i in range(len(run))]
    for b in sorted(boundaries, reverse=True):
        for i in range(min(b, len(run)) - 1, -1, -1):
            if reach[i] <= b - i:
                break
            reach[i] = b - i

    first = last[0] if last else 0  # the trailing group's first cell

    def rec(pos: int, parts: list[int], end: int, m: int, total: int | None, acc: int) -> None:
        """Cut run[pos:end] into the cells m - len(parts) still needed; ``acc`` sums the trailing group's
        cells so far, which may not exceed its ``total``."""
        k = len(parts)
        if k == m:
            if pos == end and (total is None or acc == total):
                out.append(tuple(parts) if total is None else (*parts, total))
            return
        remaining = m - k
        rest = end - pos
        if rest < remaining or rest > remaining * max_digits:
            return
        if k in ends:  # a group's last cell is the sum of the others: its digits are known
            a, _ = ends[k]
            digits = str(sum(parts[a:k]))
            lengths: range | list[int] = [len(digits)] if run.startswith(digits, pos, end) else []
        elif remaining == 1:  # the last cell takes every digit left
            lengths = [rest] if run[pos] != "0" or rest == 1 else []
        else:
            lengths = range(1, (1 if run[pos] == "0" else min(max_digits, rest - (remaining - 1))) + 1)
        for ln in lengths:
            if ln > reach[pos]:
                break
            value = int(run[pos : pos + ln])
            grown = acc + value if k >= first else acc
            if total is not None and grown > total:
                break  # longer cells only grow the sum
            parts.append(value)
            rec(pos + ln, parts, end, m, total, grown)
            parts.pop()
            if len(out) > limit:
                return

    if last is None:
        rec(0, [], len(run), n, None, 0)
        return out
    for ln in range(1, min(max_digits, len(run) - (n - 1)) + 1):
        cut = len(run) - ln
        if (ln > 1 and run[cut] == "0") or reach[cut] < ln:
            continue
        rec(0, [], cut, n - 1, int(run[cut:]), 0)
        if len(out) > limit:
            break
    return out


def solve_rows(
    candidates: dict[str, list[tuple[int, ...]] | None],
    constraints: Sequence[Callable[[dict[str, tuple[int, ...]]], bool | None]],
    budget: int = 200_000,
) -> dict[str, tuple[int, ...] | None]:
    """Choose one candidate per row so every constraint holds.

    ``candidates[row]`` is a list of possible tuples (one element = known) or None (row unknown).
    A constraint returns True/False, or None when it involves an unknown row. Rows whose candidates all
    agree across every consistent assignment are returned; rows left ambiguous map to None.
    When no assignment fits at all, only rows with a single candidate are returned.
    """
    fixed = {r: c[0] for r, c in candidates.items() if c and len(c) == 1}
    open_rows = [r for r, c in candidates.items() if c and len(c) > 1]
    result: dict[str, tuple[int, ...] | None] = {r: None for r in candidates}
    result.update(fixed)
    if not open_rows:
        return result
    total = 1
    for r in open_rows:
        total *= len(candidates[r] or [])
    if total > budget:
        return result
    solutions: list[dict[str, tuple[int, ...]]] = []
    for combo in itertools.product(*(candidates[r] or [] for r in open_rows)):
        assign = dict(fixed)
        assign.update(zip(open_rows, combo, strict=True))
        if all(c(assign) is not False for c in constraints):
            solutions.append(assign)
    if not solutions:
        return result
    for r in open_rows:
        vals = {s[r] for s in solutions}
        result[r] = vals.pop() if len(vals) == 1 else None
    return result
