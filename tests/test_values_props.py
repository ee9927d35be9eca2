"""Property tests: cell values and digit-run splitting."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.parsers.digitruns import solve_rows, splits
from nianbao.parsers.textlayout import NormText, _cr_tokens, row_from_segment
from nianbao.parsers.values import parse_cell

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@given(st.integers(min_value=0, max_value=10**9))
def test_integers_round_trip_in_any_width(n: int) -> None:
    assert parse_cell(str(n)).value == n
    assert parse_cell(str(n).translate(FULLWIDTH)).value == n
    assert parse_cell(f"{n:,}").value == n
    assert parse_cell(f" {n} ").status == "number"


@given(st.integers(min_value=1, max_value=10**6))
def test_signed_change_values(n: int) -> None:
    assert parse_cell(f"减{n}").value == -n
    assert parse_cell(f"增{n}").value == n
    assert parse_cell(f"-{n}").value == -n
    assert parse_cell(f"+{n}").value == n


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_amounts_keep_decimals_and_units(d: Decimal) -> None:
    v = parse_cell(f"{d}万元")
    assert v.status == "number" and Decimal(str(v.value)) == d and v.unit == "万元"


@given(st.sampled_from(["", " ", "\u00a0", "/", "／", "—", "-", "无"]))
def test_non_numbers_are_null_never_zero(raw: str) -> None:
    v = parse_cell(raw)
    assert v.value is None and v.status in ("blank", "slash", "dash", "none_word")


@given(st.text(alphabet="abc民政局（）", min_size=1, max_size=10))
def test_text_is_never_a_number(raw: str) -> None:
    assert parse_cell(raw).value is None


row_values = st.lists(st.integers(min_value=0, max_value=300), min_size=6, max_size=6)


@settings(max_examples=80, deadline=None)
@given(row_values)
def test_the_true_split_is_always_among_the_candidates(six: list[int]) -> None:
    truth = (*six, sum(six))
    run = "".join(map(str, truth))
    found = splits(run, 7, [(0, 7)])
    assert truth in found
    for cand in found:  # every candidate honours the row rule and spells the same digits
        assert sum(cand[:6]) == cand[6] and "".join(map(str, cand)) == run


@settings(max_examples=80, deadline=None)
@given(row_values)
def test_separators_are_respected(six: list[int]) -> None:
    truth = (*six, sum(six))
    tokens = list(map(str, truth))
    run, bounds = "", set()
    for t in tokens:
        if run:
            bounds.add(len(run))
        run += t
    assert splits(run, 7, [(0, 7)], boundaries=frozenset(bounds)) == [truth]


def test_solve_rows_uses_column_rules_to_pick() -> None:
    cand = {"a": [(1, 2), (12, 0)], "b": [(1, 2)]}
    same = [lambda s: s["a"] == s["b"]]
    assert solve_rows(cand, same)["a"] == (1, 2)
    assert solve_rows(cand, [])["a"] is None  # two fits and nothing to choose: unreadable


cr_cells = st.lists(
    st.one_of(st.just(""), st.integers(0, 99999).map(str), st.just(" / ")), min_size=1, max_size=9
)


@settings(max_examples=200, deadline=None)
@given(cr_cells)
def test_cr_separated_cells_keep_their_positions(cells: list[str]) -> None:
    """教育厅 layout: the label's cell and every value cell end with three CRs, the row with two more. Blank
    cells keep their place. After the last value, blanks are not told apart from the row's end, so none are
    invented there (the row then has too few cells and is unreadable); a row of blanks only is counted."""
    seg = "\r\r\r" + "".join(c + "\r\r\r" for c in cells) + "\r\r"
    expected = [c.strip() for c in cells]
    while any(expected) and expected[-1] == "":
        expected.pop()
    assert _cr_tokens(seg) == expected


@settings(max_examples=100, deadline=None)
@given(cr_cells, st.integers(1, 2))
def test_cr_gaps_that_are_not_whole_cells_make_positions_unknown(cells: list[str], extra: int) -> None:
    values = [c for c in cells if c.strip()] or ["1"]
    seg = "\r\r\r" + values[0] + "\r\r\r" + "\r" * extra + "7\r\r\r"
    assert _cr_tokens(seg) is None


@settings(max_examples=200, deadline=None)
@given(cr_cells, st.booleans())
def test_tab_separated_cells_keep_their_positions(cells: list[str], own_line: bool) -> None:
    """A row copied from a page or a spreadsheet: one tab between two cells, so blanks keep their place,
    wherever they are. After the label a tab separates it from the first cell; values on a line of their
    own (table 四) have tabs only between cells."""
    seg = ("\n" if own_line else "\t") + "\t".join(cells) + "\n"
    assert row_from_segment("x", seg, len(cells)).cells == [c.strip() for c in cells]


def test_tabs_that_do_not_give_the_row_its_cells_leave_positions_unknown() -> None:
    """More tabs than the row has cells (tabs for alignment), or a row over two lines: no blank cells
    are read from them; the values are then a digit run, as with spaces."""
    row = row_from_segment("x", "\t1\t\t\t2", 3)
    assert row.cells is None and row.run == "12"
    assert row_from_segment("x", "\t1\t\n2\t3", 3).cells is None


def test_empty_cells_beyond_the_row_are_dropped_only_from_one_side() -> None:
    """A spreadsheet saves merged label cells as empty cells after the label, or a trailing tab ends a
    line: the surplus goes from the side where it is empty; when both sides are empty it is unknown."""
    assert row_from_segment("x", "\t\t\t5\t\t5\n", 3).cells == ["5", "", "5"]
    assert row_from_segment("x", "\t5\t\t5\t\t\n", 3).cells == ["5", "", "5"]
    assert row_from_segment("x", "\t\t5\t\t\n", 3).cells is None  # (, 5, ) or (5, , ): not guessed


# characters of real report text: words (CJK, digits, letters), whitespace and the punctuation NormText's
# string-method path knows; every such text with a word must take that path and map like the regex path
text_chars = st.text(alphabet="本年申请0123456789Aa \r\n\t\u3000\xa0，、。（）《》：.|-_#*", max_size=60)


@settings(max_examples=400, deadline=None)
@given(text_chars)
def test_normtext_string_path_maps_like_the_regex_path(text: str) -> None:
    fast = NormText._common(text)
    slow = NormText._by_regex(text)
    assert (fast is None) == (slow.norm == "")
    if fast is None:
        return
    assert fast.norm == slow.norm
    for npos in range(len(slow.norm) + 1):
        assert fast.orig(npos) == slow.orig(npos)
        assert fast.orig_end(npos) == slow.orig_end(npos)


def test_normtext_takes_the_regex_path_for_unknown_gaps_and_nfkc() -> None:
    assert NormText._common("本年§新收") is None  # § is no word character and not a common gap
    assert NormText._common("本年１２") is None  # full-width digits need NFKC
    nt = NormText.of("一、本年§新收：１２")
    assert nt.norm == "一本年新收12" and nt.text[nt.orig(5) :] == "１２"
