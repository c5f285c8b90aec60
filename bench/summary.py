"""Turn bench/results/<db>.json into Markdown: bench/results/SUMMARY.md (every page) and the README's
"Performance" section (the figures, ratios and targets; the slowest pages)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def load() -> dict[str, dict[str, Any]]:
    out = {}
    for kind in ("sqlite", "postgres"):
        path = RESULTS / f"{kind}.json"
        if path.exists():
            out[kind] = json.loads(path.read_text(encoding="utf-8"))
    return out


def mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def fmt(n: Any, digits: int = 0) -> str:
    if n is None:
        return "–"
    return f"{n:,.{digits}f}"


def pages_of(report: dict[str, Any], scale: str) -> list[dict[str, Any]]:
    return report["scales"].get(scale, {}).get("pages", [])


def bulk_rows(reports: dict[str, dict[str, Any]]) -> list[str]:
    kinds = list(reports)
    head = "| 항목 | " + " | ".join(NAMES[k] for k in kinds) + " | 기준선(같은 실행) | 목표 |"
    rows = [head, "|" + "---|" * (len(kinds) + 3)]

    def line(label: str, cell: Any, baseline: str, target: str) -> None:
        rows.append(f"| {label} | " + " | ".join(cell(reports[k]) for k in kinds) + f" | {baseline} | {target} |")

    t = next(iter(reports.values()))["targets"]

    def b(r: dict[str, Any], *keys: str) -> Any:
        node: Any = r["benchmarks"]
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node

    def imp(r: dict[str, Any]) -> str:
        rate, ratio = b(r, "surveys", "import", "rows_per_second"), b(r, "surveys", "import", "ratio_to_baseline")
        if rate is None:
            return "–"
        ok = rate >= t["import_rows_per_second"] and ratio >= t["import_ratio"]
        return (
            f"{fmt(rate)}행/초 ({fmt(b(r, 'surveys', 'import', 'rows'))}행 {b(r, 'surveys', 'import', 'seconds')}초); "
            f"기준선 {fmt(b(r, 'surveys', 'import', 'baseline_rows_per_second'))}행/초, **비율 {ratio}** {mark(ok)}"
        )

    line("명부 가져오기 (CSV)", imp, "같은 행을 csv+bulk_create로 검사 없이", "≥ 50,000행/초, ≥ 0.5×")

    def inv(r: dict[str, Any]) -> str:
        s = b(r, "surveys", "invitations", "seconds")
        if s is None:
            return "–"
        return f"{fmt(b(r, 'surveys', 'invitations', 'prepared'))}건 {s}초 {mark(s <= t['invitations_seconds'])}"

    line("설문 안내 준비 100,000건", inv, "–", "≤ 20초")

    def ans(r: dict[str, Any]) -> str:
        ratio = b(r, "answer_post", "ratio_to_baseline")
        if ratio is None:
            return "–"
        return (
            f"{fmt(b(r, 'answer_post', 'answer', 'per_second'), 1)}건/초 "
            f"(오류 {b(r, 'answer_post', 'answer', 'errors')}); "
            f"최소 뷰 {fmt(b(r, 'answer_post', 'minimal_insert', 'per_second'), 1)}건/초, **비율 {ratio}** "
            f"{mark(ratio >= t['answer_ratio'])}"
        )

    line("응답 제출 POST (Gunicorn, HTTP)", ans, "한 행만 넣는 최소 뷰", "≥ 0.6×")

    for key, label in (("quarterly_review", "분기 지시사항 점검 보고서"), ("budget_statement", "사업비 조서")):

        def doc(r: dict[str, Any], key: str = key) -> str:
            d = b(r, "documents", "documents", key)
            if not d:
                return "–"
            worst = max(d["hwpx"]["seconds"], d["xlsx"]["seconds"])
            return (
                f"HWPX {d['hwpx']['seconds']}초, XLSX {d['xlsx']['seconds']}초; HTML {d['html_seconds']}초 "
                f"{mark(worst <= t['document_seconds'])}"
            )

        sample = b(next(iter(reports.values())), "documents", "documents", key)
        line(sample["label"] if sample else label, doc, "같은 자료의 HTML 화면", "각 ≤ 3초")

    def dl(r: dict[str, Any]) -> str:
        d = b(r, "deadlines")
        if not d:
            return "–"
        return f"{fmt(d['count'])}건 {d['seconds']}초 ({fmt(d['per_second'])}건/초); 기준선 {d['baseline_seconds']}초"

    line("업무시간 기한 계산", dl, "달력일 더하기 반복", "–")

    def load_(r: dict[str, Any]) -> str:
        d = b(r, "load")
        if not d:
            return "–"
        ok = d["errors"] == 0 and d["p95_ms"] is not None and d["p95_ms"] <= t["load_p95_ms"]
        return (
            f"{d['users']}명 {fmt(d['duration_s'])}초 (클릭 사이 {d['think_s'][0]:g}–{d['think_s'][1]:g}초): "
            f"{fmt(d['requests'])}요청, 오류 {d['errors']}, "
            f"p95 {d['p95_ms']} ms ({d['throughput_rps']}요청/초) {mark(ok)}; 혼자일 때 p95 {d['baseline_p95_ms']} ms"
        )

    line("부하 시험 (루프백)", load_, "같은 조합을 1명이", "오류 0, p95 ≤ 300 ms")
    return rows


def page_summary(reports: dict[str, dict[str, Any]]) -> list[str]:
    rows = []
    for kind, r in reports.items():
        large = pages_of(r, "large")
        if not large:
            continue
        worst = max(large, key=lambda p: p["p95_ms"] or 0)
        over = [p for p in large if (p["p95_ms"] or 0) > r["targets"]["page_p95_ms"]]
        checks = r["checks"]
        rows.append(
            f"- **{NAMES[kind]}**: 화면 {len(large)}개, "
            f"최악 p95 {worst['p95_ms']} ms ({worst['module']} {worst['label']}), "
            f"목표(100 ms) 초과 {len(over)}개 {mark(not over)}; 쿼리 수 small = large: "
            f"{mark(not checks['query_counts_unequal'])}"
            + (f" (다름: {', '.join(checks['query_counts_unequal'][:5])})" if checks["query_counts_unequal"] else "")
            + f"; 데이터 생성 {r['scales']['large']['dataset_seconds']}초"
        )
    return rows


def slowest(reports: dict[str, dict[str, Any]], n: int = 12) -> list[str]:
    kinds = [k for k in reports if pages_of(reports[k], "large")]
    if not kinds:
        return []
    index: dict[tuple[str, str], dict[str, Any]] = {}
    for k in kinds:
        for p in pages_of(reports[k], "large"):
            index.setdefault((p["module"], p["label"]), {})[k] = p
    for k in kinds:
        for p in pages_of(reports[k], "small"):
            index.get((p["module"], p["label"]), {}).setdefault("small_q", p["queries"])
    ordered = sorted(index.items(), key=lambda kv: -max(kv[1][k]["p95_ms"] or 0 for k in kinds if k in kv[1]))
    head = "| 모듈 | 화면 | 쿼리 (small/large) | " + " | ".join(f"{NAMES[k]} p50 / p95 ms" for k in kinds) + " |"
    rows = [head, "|" + "---|" * (3 + len(kinds))]
    for (module, label), per in ordered[:n] if n else ordered:
        first = per[kinds[0]] if kinds[0] in per else next(v for k, v in per.items() if k in kinds)
        cells = [f"{per[k]['p50_ms']} / {per[k]['p95_ms']}" if k in per else "–" for k in kinds]
        rows.append(
            f"| {module} | {label} | {per.get('small_q', '–')} / {first['queries']} | " + " | ".join(cells) + " |"
        )
    return rows


def machine_line(reports: dict[str, dict[str, Any]]) -> str:
    r = next(iter(reports.values()))
    m = r["machine"]
    pg = reports.get("postgres", {}).get("machine", {}).get("postgres")
    return (
        f"측정: {m['date'][:10]}, {m['cpu']} {m['cores']}코어, 메모리 {m['memory_gib']} GiB, {m['os']}, "
        f"Python {m['python']}, SQLite {m['sqlite']}"
        + (f", PostgreSQL {pg}" if pg else "")
        + f"; 시작 시 부하 평균 {m['load_average_at_start']}"
        + calibration_text(reports)
        + "."
    )


def calibration_text(reports: dict[str, dict[str, Any]]) -> str:
    """The CPU speed of each database's run (a fixed Python loop; smaller is faster), when it was recorded."""
    parts = []
    for kind, r in reports.items():
        m = r.get("machine", {})
        if m.get("cpu_calibration_seconds"):
            end = f" → 끝 {m['cpu_calibration_end_seconds']}초" if m.get("cpu_calibration_end_seconds") else ""
            parts.append(f"{'SQLite' if kind == 'sqlite' else 'PostgreSQL'} 시작 {m['cpu_calibration_seconds']}초{end}")
    return f"; CPU 속도(Python 반복 1천만 회, 작을수록 빠름): {', '.join(parts)}" if parts else ""


def section(reports: dict[str, dict[str, Any]]) -> str:
    lines = [
        START,
        machine_line(reports),
        "",
        "`make bench`가 SQLite와 PostgreSQL 각각에 `bench_data --scale small`과 `--scale large`"
        " (부서 120, 직원 3,000, 10년: 지시사항 100,000, 사업 20,000, 심사분석 제출 10,000, 도 평가 지표 1,000,"
        " 명부 1,000,000, 안내 1,000,000, 응답 300,000, 청렴 사건 5,000)를 만들고 잽니다."
        " 모든 수치는 같은 실행, 같은 데이터베이스에서 잰 기준선과 나란히 둡니다.",
        "",
        *bulk_rows(reports),
        "",
        "**화면** (서버 처리 시간, 화면마다 20회, `large`):",
        "",
        *page_summary(reports),
        "",
        "가장 느린 화면들 (전체 표: [bench/results/SUMMARY.md](bench/results/SUMMARY.md)):",
        "",
        *slowest(reports),
        END,
    ]
    return "\n".join(lines)


def update_readme() -> None:
    reports = load()
    if not reports:
        return
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = section(reports)
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n## Performance\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")
    full = ["# 벤치마크 전체 결과", "", machine_line(reports), "", *bulk_rows(reports), "", *page_summary(reports), ""]
    full += ["## 모든 화면 (large; 쿼리 수는 small / large)", "", *slowest(reports, n=0)]
    (RESULTS / "SUMMARY.md").write_text("\n".join(full) + "\n", encoding="utf-8")


if __name__ == "__main__":
    update_readme()
