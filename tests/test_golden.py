"""Golden tests on real reports: every number compared with values read by hand from the source."""

from __future__ import annotations

import pytest

from nianbao.parsers import Report, Source, parse
from nianbao.parsers import template as T

from .conftest import FIXTURES
from .golden import COMPLETE, GOLDEN


def _parse(name: str) -> Report:
    path = next(p for d in ("reports", "pdf", "generated") if (p := FIXTURES / d / name).exists())
    r = parse(path.read_bytes(), Source(path=str(path)))
    assert isinstance(r, Report), r
    return r


def expected_cells(g: dict) -> dict[tuple, object]:
    """(table, key..., col) → value, for every cell the golden describes."""
    out: dict[tuple, object] = {}
    version = g["template"]
    if "t3" in g:
        for d in T.t3_data_rows(version):
            vals = g["t3"].get(d.key, [0] * 7)
            for col, v in zip(T.T3_COLUMNS, vals, strict=True):
                out[("t3", d.key, col)] = v
    if "t2" in g:
        for block in T.T2_BLOCKS[g.get("t2_version", version)]:
            for item, _ in block.items:
                vals = g["t2"].get((block.key, item))
                if vals is None:
                    continue
                for (metric, _), v in zip(block.metrics, vals, strict=True):
                    out[("t2", block.key, item, metric)] = v
    if "t4" in g:
        keys = [(b, o) for b in T.T4_BLOCKS for o in T.T4_OUTCOMES]
        for (b, o), v in zip(keys, g["t4"], strict=True):
            out[("t4", b, o)] = v
    return out


def got_cells(r: Report) -> dict[tuple, object]:
    out: dict[tuple, object] = {}
    for c in r.t3:
        out[("t3", c.row, c.col)] = c
    for c in r.t2:
        out[("t2", c.block, c.item, c.metric)] = c
    for c in r.t4:
        out[("t4", c.block, c.outcome)] = c
    return out


def score(name: str) -> tuple[int, int, list[str], list[str]]:
    """(right, total, wrong, missing). A cell is right when its value and null-ness match the source."""
    g = GOLDEN[name]
    r = _parse(name)
    exp, got = expected_cells(g), got_cells(r)
    right, wrong, missing = 0, [], []
    for key, v in exp.items():
        c = got.get(key)
        if c is None or (c.value is None and c.status == "unparseable"):
            missing.append(str(key))
        elif c.value == v or (v == 0 and c.value is None and c.status == "blank" and False):
            right += 1
        else:
            wrong.append(f"{key}: got {c.value!r} ({c.status}, raw {c.raw!r}), source {v!r}")
    return right, len(exp), wrong, missing


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_no_cell_is_wrong(name: str) -> None:
    """Numbers are sacred: whatever we output must equal the source (unreadable is allowed, wrong is not)."""
    _, _, wrong, _ = score(name)
    assert wrong == []


@pytest.mark.parametrize("name", sorted(COMPLETE))
def test_complete_fixtures_fully_read(name: str) -> None:
    right, total, wrong, missing = score(name)
    assert (right, wrong, missing) == (total, [], [])


def test_overall_accuracy_at_least_98_percent_on_clean_layouts() -> None:
    names = sorted(COMPLETE | {"pingtan-2022.txt", "pingtan-2019.txt"})
    right = total = 0
    for n in names:
        r, t, _, _ = score(n)
        right, total = right + r, total + t
    assert right / total >= 0.98, f"{right}/{total}"


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_metadata(name: str) -> None:
    g, r = GOLDEN[name], _parse(name)
    assert r.template_version == g["template"]
    for field in ("title", "organ", "year", "published_date"):
        if field in g and g[field] is not None:
            assert getattr(r, field) == g[field], field


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_goldens_satisfy_identities(name: str) -> None:
    """Cross-check the hand-read values themselves (I1, I2, I3, I4)."""
    g = GOLDEN[name]
    if "t3" not in g:
        return
    v = g["template"]
    t3 = {d.key: g["t3"].get(d.key, [0] * 7) for d in T.t3_data_rows(v)}
    for i in range(7):
        assert (
            t3["new_received"][i] + t3["carried_over_in"][i]
            == t3["processed_total"][i] + t3["carried_over_out"][i]
        )
        assert t3["processed_total"][i] == sum(t3[k][i] for k in T.T3_LEAF_SUM[v])
    for k, vals in t3.items():
        assert vals[6] == sum(vals[:6]), k
    t4 = g.get("t4")
    if t4 and not g.get("t4_source_errors"):
        for b in range(3):
            assert t4[b * 5 + 4] == sum(t4[b * 5 : b * 5 + 4])


def test_digit_run_cells_are_marked_inferred_and_checks_say_so() -> None:
    r = _parse("pingtan-2022.txt")
    new = [c for c in r.t3 if c.row == "new_received"]
    assert [c.value for c in new] == [71, 3, 0, 0, 0, 0, 74]
    assert {c.status for c in new} == {"inferred"}
    assert new[0].raw == "713000074"
    assert any(c.basis == "inferred" for c in r.checks)
    assert any("confirm nothing" in w for w in r.warnings)


def test_ambiguous_digit_runs_are_unreadable_not_guessed() -> None:
    r = _parse("pingtan-2019.txt")
    lic = [c for c in r.t2 if c.item == "administrative_license"]
    assert [c.status for c in lic] == ["unparseable"] * 3
    assert all(c.value is None for c in lic)
    assert lic[0].raw == "3960181"


def test_seed_glitch_row_reads_seven_values_with_warning() -> None:
    r = _parse("seed-xiejiaji-2020.txt")
    row = [c for c in r.t3 if c.row == "unable_unclear"]
    assert [c.value for c in row] == [0] * 7
    assert any("glued" in w for w in r.warnings)


def test_hebei_blank_cells_stay_null_not_zero() -> None:
    """jyt-2019 leaves zero cells blank: value null, status blank — never an invented 0."""
    r = _parse("hebei-jyt-2019.txt")
    partial = [c for c in r.t3 if c.row == "partially_granted"]
    assert [c.status for c in partial] == ["blank"] * 7
    assert all(c.value is None for c in partial)
    new = [c.value for c in r.t3 if c.row == "new_received"]
    assert new == [16, 0, 0, 0, 0, 0, 16]


def test_row_with_six_values_is_unreadable() -> None:
    """jyt-2021 二、上年结转 prints six values for seven columns: which one is blank is unknown."""
    r = _parse("hebei-jyt-2021.txt")
    carried = [c for c in r.t3 if c.row == "carried_over_in"]
    assert {c.status for c in carried} == {"unparseable"}


def test_concatenated_cells_with_lost_blanks_are_unreadable() -> None:
    """gxt-2019 prints 一、本年新收…22: 2 and 2 with blanks lost, or 22? Unknowable, so unreadable."""
    r = _parse("hebei-gxt-2019.txt")
    new = [c for c in r.t3 if c.row == "new_received"]
    assert {c.status for c in new} == {"unparseable"} and all(c.value is None for c in new)


@pytest.mark.parametrize(
    "name", ["hebei-kjt-2019.txt", "hebei-rst-2023.txt", "hebei-rst-2022.txt", "hebei-rst-2020.txt"]
)
def test_reports_without_tables_invent_no_cells(name: str) -> None:
    r = _parse(name)
    assert r.t2 == [] and r.t3 == [] and r.t4 == []
    assert r.checks == []
    assert any("not found" in w for w in r.warnings)


def test_list_page_is_not_a_report() -> None:
    data = (FIXTURES / "reports" / "pingtan-list-index.html").read_bytes()
    assert not isinstance(parse(data, Source(path="list.html")), Report)


def test_sections_found_and_table_row_four_is_not_a_heading() -> None:
    r = _parse("seed-xiejiaji-2020.txt")
    keys = [s.key for s in r.sections]
    assert keys == list(T.SECTION_KEYS)
    s4 = next(s for s in r.sections if s.key == "s4_review_litigation")
    assert "复议" in s4.heading
    s3 = next(s for s in r.sections if s.key == "s3_applications")
    assert "结转下年度继续办理" in s3.text


def test_source_errors_are_kept_and_fail_their_checks() -> None:
    """洪泽区 2023 prints 行政复议 10,1,0,0 with 总计 0: we keep the 0 and I4 fails; nothing is repaired."""
    r = _parse("huaian-hongzequ-2023.pdf")
    total = next(c for c in r.t4 if (c.block, c.outcome) == ("review", "total"))
    assert (total.value, total.raw, total.status) == (0, "0", "number")
    failed = {(c.id, c.scope): (c.lhs, c.rhs) for c in r.checks if not c.passed}
    assert failed == {("I4", "review"): (0, 11), ("I4", "litigation_after_review"): (0, 5)}
    assert r.table_versions["t2"] == "2021" and r.table_versions["t3"] == "2019"


def test_cid_pdf_tables_come_from_geometry_across_a_page_break() -> None:
    """Non-embedded STSong-Light CID font, vertical group labels, wrapped labels, table 三 split over pages."""
    import pdfplumber

    from nianbao.parsers import htmldoc, pdf
    from nianbao.parsers.mapper import map_tables

    path = FIXTURES / "generated" / "pingtan-2022-cid.pdf"
    with pdfplumber.open(path) as doc:
        fonts = {c["fontname"] for page in doc.pages for c in page.chars}
        t3_pages = [
            i
            for i, p in enumerate(doc.pages)
            if "结转下年度" in p.extract_text() or "本年新收" in p.extract_text()
        ]
    assert any(f.startswith("STSong") for f in fonts) and t3_pages == [0, 1]
    data = path.read_bytes()
    grids = pdf.table_grids(data, [0, 1])
    mapped = map_tables(htmldoc.grids_to_tables(grids))  # the geometry path alone, no text fallback
    assert len(mapped.t3) == 25 * 7 and len(mapped.t4) == 15
    r = _parse("pingtan-2022-cid.pdf")
    assert r.source.text_path == "pdfium+pdfplumber"
    assert not any(
        c.raw.strip("—- ").isdigit() and c.row == "unknown" for c in r.t3
    )  # page numbers are not data


def test_scanned_pdf_has_no_text_layer_and_no_cells() -> None:
    path = FIXTURES / "generated" / "scanned.pdf"
    r = parse(path.read_bytes(), Source(path=str(path)))
    assert isinstance(r, Report)
    assert (r.t2, r.t3, r.t4, r.checks) == ([], [], [], [])
    assert r.source.text_path == "none" and "no text layer" in r.warnings[0]


@pytest.mark.parametrize("year", [2016, 2018])
def test_pre2019_reports_get_sections_and_no_invented_cells(year: int) -> None:
    r = _parse(f"hebei-jyt-{year}-pre2019.txt")
    assert (r.template_version, r.year, r.organ) == ("pre2019", year, "河北省教育厅")
    keys = [s.key for s in r.sections]
    assert keys == [
        "s1_overview",
        "s2_active_disclosure",
        "s3_applications",
        "s_fees",
        "s4_review_litigation",
        "s5_problems",
    ]
    assert (r.t2, r.t3, r.t4, r.checks) == ([], [], [], [])
    assert not any("not found" in w for w in r.warnings)  # pre-2019 reports have no template tables to miss


def test_tables_published_as_pictures_are_flagged_not_invented() -> None:
    html = (
        "<html><head><meta name='ArticleTitle' content='某县2023年政府信息公开工作年度报告'></head><body>"
        "<div class='article_content'><p>一、总体情况</p><p>本年度依法公开。</p><p>二、主动公开政府信息情况</p>"
        "<p><img src='t2.png'></p><p>三、收到和处理政府信息公开申请情况</p><p><img src='t3.png'></p>"
        "<p>四、政府信息公开行政复议、行政诉讼情况</p><p><img src='t4.png'></p><p>五、存在的主要问题及改进情况</p>"
        "<p>人员不足。</p><p>六、其他需要报告的事项</p><p>无。</p></div></body></html>"
    )
    r = parse(html.encode(), Source(path="x.html"))
    assert isinstance(r, Report) and (r.year, r.template_version) == (2023, "2021")
    assert (r.t2, r.t3, r.t4) == ([], [], [])
    assert any(w.startswith("tables_as_image") for w in r.warnings)


def test_pre2019_prose_statistics_carry_their_evidence() -> None:
    """Values read by hand from the 2018 report's sentences."""
    r = _parse("hebei-jyt-2018-pre2019.txt")
    stats = {s["key"]: s for s in r.prose_stats}
    assert {k: s["value"] for k, s in stats.items()} == {
        "pre_active_disclosure_count": 1683,
        "pre_applications_received": 1,
        "pre_fee_yuan": 0,
    }
    assert "受理依申请信息公开1件" in stats["pre_applications_received"]["evidence"]
    assert "均未向申请人收取费用" in stats["pre_fee_yuan"]["evidence"]
    assert _parse("seed-xiejiaji-2020.txt").prose_stats == []  # only pre-2019 reports get prose statistics


def test_untitled_text_gets_its_year_from_the_text_with_a_warning() -> None:
    """科技厅 2019 text has no title, period or date: the year it names throughout (8× 2019) is used, and said."""
    r = _parse("hebei-kjt-2019.txt")
    assert r.year == 2019
    assert any("inferred from the text" in w for w in r.warnings)


def test_a_page_about_a_report_is_not_a_report() -> None:
    html = (
        "<html><head><meta name='ArticleTitle' content='图解：某县2023年政府信息公开工作年度报告'></head><body>"
        "<div class='article_content'><p>一、总体情况</p><p>全年主动公开信息。</p><p>二、主动公开政府信息情况</p>"
        "<p>详见报告全文。</p><p>三、收到和处理政府信息公开申请情况</p><p>详见报告全文。</p></div></body></html>"
    )
    result = parse(html.encode(), Source(path="x.html"))
    assert not isinstance(result, Report) and "about a report" in result.reason


@pytest.mark.parametrize(
    ("name", "year", "template"),
    [("hebei-rst-2020.txt", 2020, "2019"), ("hebei-rst-2022.txt", 2022, "2021")],
)
def test_untitled_prose_reports_get_year_and_template(name: str, year: int, template: str) -> None:
    """人社厅 2020 (signed 2021年1月27日, cites 国办公开办函〔2019〕60号) and 2022 (统计期限 2022年1月1日至12月31日):
    tables were images, so no cells; the year and the template still come out."""
    r = _parse(name)
    assert (r.year, r.template_version) == (year, template)


@pytest.mark.parametrize(
    ("name", "organ"),
    [
        ("hebei-jyt-2019.txt", "河北省教育厅"),  # …\n河北省教育厅\n2020年1月15日
        ("hebei-jyt-2023.txt", "河北省教育厅"),
        (
            "hebei-rst-2022.txt",
            "河北省人力资源和社会保障厅",
        ),  # 报告下载：河北省人力资源和社会保障厅2023年1月28日
        ("hebei-rst-2023.txt", "河北省人力资源和社会保障厅"),  # 。河北省人力资源和社会保障厅2023年1月29日
        (
            "hebei-rst-2020.txt",
            None,
        ),  # 其他需要报告的事项无河北省…厅2021年1月27日: glued to prose, not guessed
        ("hebei-jyt-2022.txt", None),  # no signature at all
    ],
)
def test_organ_of_untitled_text_comes_from_the_signature(name: str, organ: str | None) -> None:
    assert _parse(name).organ == organ


def test_markdown_row_takes_its_own_line_and_leaves_displaced_values_unassigned() -> None:
    """上海市科委 2024 (PDF text as markdown): `| 三、 | （一）予以公开 | 9 | 0 | 0 | 0 | 0 | 0 | 9 |` is followed by a
    line of seven values whose label was displaced elsewhere. The row is its own line; the stray line is
    reported, never given to a row."""
    r = _parse("shanghai-stcsm-2024.source.md")
    assert [c.value for c in r.t3 if c.row == "granted"] == [9, 0, 0, 0, 0, 0, 9]
    assert [c.value for c in r.t3 if c.row == "withheld_admin_query"] == [0] * 7  # | 8.属于行政查询事项 | 0 …
    strays = [w for w in r.warnings if "belong to no row" in w]
    assert any("| 4 | 0 | 0 | 0 | 0 | 0 | 4 |" in w for w in strays)
