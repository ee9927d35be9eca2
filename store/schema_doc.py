"""docs/schema.md, generated from the models' comments (a test keeps the file in step)."""

from __future__ import annotations

from . import models as M

EXAMPLES: list[tuple[str, str]] = [
    (
        "Applications received per year for one organ",
        "SELECT year, new_received, processed_total, carried_over_out\n"
        "FROM report_summary WHERE organ = '平潭综合实验区' ORDER BY year;",
    ),
    (
        "Organs whose table 三 fails the column balance I1",
        "SELECT DISTINCT r.organ, r.year, c.scope, c.lhs, c.rhs\n"
        "FROM checks c JOIN reports r ON r.id = c.report_id\n"
        "WHERE c.check_id = 'I1' AND NOT c.passed ORDER BY r.organ, r.year;",
    ),
    (
        "Share of requests refused (不予公开), by reason and year",
        "SELECT r.year, t.row_key, SUM(t.value) AS refused,\n"
        "       ROUND(1.0 * SUM(t.value) / SUM(s.processed_total), 4) AS share\n"
        "FROM t3_cells t JOIN reports r ON r.id = t.report_id\n"
        "JOIN report_summary s ON s.report_id = r.id\n"
        "WHERE t.col_key = 'total' AND t.row_key LIKE 'withheld_%' AND t.status IN ('number', 'inferred')\n"
        "GROUP BY r.year, t.row_key ORDER BY r.year, refused DESC;",
    ),
    (
        "One report's table 三 as a wide table",
        "SELECT row_key, natural_person, org_business, total FROM t3_wide\n"
        "WHERE report_id = (SELECT MIN(id) FROM reports) ORDER BY row_key;",
    ),
]

VIEWS = {
    "t3_wide": "One row per report × row_key of table 三, with the seven applicant columns "
    "(natural_person, org_business, org_research, org_public_welfare, org_legal_service, org_other, total).",
    "report_summary": "One row per report: report_id, organ, year, template_version, new_received, "
    "carried_over_in, processed_total, granted, partially_granted, carried_over_out (all the 总计 column), "
    "review_total, litigation_direct_total, litigation_after_review_total (table 四 总计), failed_checks, url.",
}


def render() -> str:
    out = [
        "# nianbao database schema",
        "",
        "Generated from `store/models.py` (`python -m nianbao.store.schema_doc > docs/schema.md`); a test keeps",
        "it in step. SQLite by default (`sqlite:///nianbao.db`), Postgres with `--db postgresql+psycopg://…`.",
        "Values are stored as printed: `value` is null unless `status` is `number` or `inferred`; `raw` keeps",
        "the cell text. Each report is unique by its source document (`reports.document_id`).",
        "",
    ]
    for name in M.PUBLIC_TABLES:
        table = M.Base.metadata.tables[name]
        out += [f"## `{name}`", "", table.comment or "", "", "| column | type | meaning |", "|---|---|---|"]
        for col in table.columns:
            meaning = (col.comment or ("primary key" if col.primary_key else "")).replace("|", "\\|")
            out.append(f"| `{col.name}` | {col.type.compile()} | {meaning} |")
        out.append("")
    out += ["## Views", ""]
    for name, desc in VIEWS.items():
        out += [f"- **`{name}`** — {desc}"]
    out += ["", "## Example queries", ""]
    for title, sql in EXAMPLES:
        out += [f"### {title}", "", "```sql", sql, "```", ""]
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    print(render())
