"""The budget statement (사업비 조서): its rules, the seed import and bad files."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hwallyu.workplan import selectors, services
from hwallyu.workplan.budget import RULE_HEADER, RULE_SUM, RULE_TOTAL, check_amounts
from hwallyu.workplan.budget_import import parse_statement
from hwallyu.workplan.models import BudgetLine, BudgetStatement
from hwallyu.workplan.tests.factories import M, make_plan, seed_budget_xlsx, workbook_bytes

pytestmark = pytest.mark.django_db


def _amounts(**kw):
    base = dict.fromkeys(("total_cost", "this_year", "national", "provincial", "city", "other", "later"))
    base.update({k: v * M if v is not None else None for k, v in kw.items()})
    return base


def test_rules_on_one_row():
    assert check_amounts(_amounts(total_cost=10, this_year=10, city=10)) == []
    rules = [r for r, _, _ in check_amounts(_amounts(total_cost=99, this_year=92, city=99))]
    assert rules == [RULE_SUM]
    rules = [r for r, _, _ in check_amounts(_amounts(total_cost=5, this_year=5, city=5, later=3))]
    assert rules == [RULE_TOTAL]
    # "-" in 계 against 시비 7: the sum rule is broken, the total rule is not
    rules = [r for r, _, _ in check_amounts(_amounts(total_cost=7, city=7))]
    assert rules == [RULE_SUM]


def test_seed_table_import_reports_its_two_inconsistencies_and_keeps_the_numbers(org):
    fixture = make_plan(org)
    result = services.budget_import(
        plan=fixture.plan, data=seed_budget_xlsx(), filename="사업비조서.xlsx", actor=org.planner
    )
    assert result.ok and result.parsed.unit_label == "백만원"

    lines = list(BudgetLine.objects.filter(plan=fixture.plan).order_by("order"))
    assert [line.name for line in lines] == [
        "2027 논산세계딸기산업엑스포 승인 준비 (세미나 개최 및 대외 홍보)",
        "행정만족도 조사 참여자 인센티브 지급",
    ]
    expo, incentive = lines
    assert (expo.total_cost, expo.this_year, expo.city, expo.national) == (92 * M, 92 * M, 92 * M, None)
    # kept as entered: 계 "-" stays empty, never "fixed" to 7
    assert (incentive.total_cost, incentive.this_year, incentive.city) == (7 * M, None, 7 * M)
    assert (expo.source_row, incentive.source_row) == (6, 7)
    record = BudgetStatement.objects.get(plan=fixture.plan)
    assert record.header_entered == {
        "count": 2,
        "total_cost": 99 * M,
        "this_year": 92 * M,
        "national": None,
        "provincial": None,
        "city": 99 * M,
        "other": None,
        "later": None,
    }
    assert record.header_row == 5

    statement = selectors.budget_statement(fixture.plan)
    assert [(v.rule, v.label, v.source_row) for v in statement.violations] == [
        (RULE_SUM, "2건", 5),
        (RULE_SUM, "행정만족도 조사 참여자 인센티브 지급", 7),
    ]
    assert "92" in statement.violations[0].message and "99" in statement.violations[0].message
    assert statement.header.flagged == {"this_year", "city"}
    assert statement.rows[1].flagged == {"this_year", "city"}
    assert statement.rows[0].flagged == set()
    # the header row reads as the seed prints it
    assert [c["text"] for c in statement.header.cells()] == ["99", "92", "-", "-", "99", "-", "-"]


def test_reimport_replaces_the_lines(org):
    fixture = make_plan(org)
    services.budget_import(plan=fixture.plan, data=seed_budget_xlsx(), filename="a.xlsx", actor=org.planner)
    services.budget_import(plan=fixture.plan, data=seed_budget_xlsx(), filename="b.xlsx", actor=org.planner)
    assert BudgetLine.objects.filter(plan=fixture.plan).count() == 2


def test_header_row_that_disagrees_with_the_rows_is_flagged(org):
    fixture = make_plan(org)
    rows = [["3건", 100, 92, "-", "-", 92, "-", "-"], ["엑스포 승인 준비", 92, 92, "-", "-", 92, "-", "-"]]
    services.budget_import(plan=fixture.plan, data=seed_budget_xlsx(rows), filename="x.xlsx", actor=org.planner)
    statement = selectors.budget_statement(fixture.plan)
    messages = [v.message for v in statement.violations if v.rule == RULE_HEADER]
    assert any("3건" in m for m in messages)
    assert any("총사업비" in m for m in messages)


def _problems(data: bytes, filename: str = "b.xlsx"):
    result = parse_statement(data, filename)
    assert not result.ok
    return result.problems


def _assert_nothing_saved(org, data, filename="bad.xlsx"):
    fixture = make_plan(org)
    before = list(BudgetLine.objects.filter(plan=fixture.plan).values_list("name", "this_year"))
    with pytest.raises(services.BudgetImportError) as exc:
        services.budget_import(plan=fixture.plan, data=data, filename=filename, actor=org.planner)
    assert list(BudgetLine.objects.filter(plan=fixture.plan).values_list("name", "this_year")) == before
    assert BudgetStatement.objects.get(plan=fixture.plan).source_name == ""
    return exc.value.problems


def test_text_in_a_number_cell_is_named_by_row_and_column(org):
    rows = [
        ["엑스포 승인 준비", 92, "구십이", "-", "-", 92, "-", "-"],
        ["인센티브", 7, "-", "-", "-", "7백만", "-", "-"],
    ]
    problems = _assert_nothing_saved(org, seed_budget_xlsx(rows))
    places = {(p.row, p.column, p.column_label) for p in problems}
    assert (5, "C", "계") in places
    assert (6, "F", "시비") in places
    assert all("숫자가 아닙니다" in p.message for p in problems)
    assert problems[0].text().startswith("5행 C열(계)")


def test_shifted_columns_are_named(org):
    # the row starts one column to the right: the name lands in 총사업비, a value falls off the table
    rows = [[None, "엑스포 승인 준비", 92, 92, "-", "-", 92, "-", "-"]]
    problems = _assert_nothing_saved(org, seed_budget_xlsx(rows))
    places = {(p.row, p.column) for p in problems}
    assert (5, "A") in places  # 사업명 empty
    assert (5, "B") in places  # text in 총사업비
    assert (5, "I") in places  # value outside the table
    assert any("열이 밀리지" in p.message for p in problems)


def test_header_with_columns_in_the_wrong_order_is_refused():
    header = [
        ["사업명", "총사업비", "계", "도비", "국비", "시비", "기타", "이후"],
        ["사업", 1, 1, "-", "-", 1, "-", "-"],
    ]
    problems = _problems(workbook_bytes(header))
    assert "열 순서" in problems[0].message and problems[0].row == 1


def test_missing_column_is_named():
    header = [["사업명", "총사업비", "계", "국비", "도비", "시비", "이후"], ["사업", 1, 1, "-", "-", 1, "-"]]
    problems = _problems(workbook_bytes(header))
    assert [p.column_label for p in problems] == ["기타"]


def test_cp949_text_read_as_latin1_is_named(org):
    garbled = "사업명".encode("cp949").decode("latin-1")
    rows = [["엑스포 승인 준비".encode("cp949").decode("latin-1"), 92, 92, "-", "-", 92, "-", "-"]]
    problems = _assert_nothing_saved(org, seed_budget_xlsx(rows))
    assert (problems[0].row, problems[0].column) == (5, "A")
    assert "CP949" in problems[0].message
    # a whole sheet of garbled headers: the header cell is named
    header = [[garbled, "총사업비"], ["x", 1]]
    problems = _problems(workbook_bytes(header))
    assert (problems[0].row, problems[0].column) == (1, "A") and "CP949" in problems[0].message


def test_cp949_csv_is_read_correctly(org):
    text = (
        "사업명,총사업비,계,국비,도비,시비,기타,이후\n"
        "2건,99,92,-,-,99,-,-\n"
        "2027 논산세계딸기산업엑스포 승인 준비,92,92,-,-,92,-,-\n"
        "행정만족도 조사 참여자 인센티브 지급,7,-,-,-,7,-,-\n"
    )
    fixture = make_plan(org)
    result = services.budget_import(
        plan=fixture.plan, data=text.encode("cp949"), filename="조서.csv", actor=org.planner
    )
    assert any("CP949" in w for w in result.parsed.warnings)
    assert BudgetLine.objects.get(plan=fixture.plan, name__startswith="행정만족도").city == 7 * M
    assert len(selectors.budget_statement(fixture.plan).violations) == 2


def test_merged_cells_in_the_body_are_named(org):
    rows = [["엑스포 승인 준비", 92, 92, "-", "-", 92, "-", "-"], ["인센티브", 7, "-", "-", "-", 7, "-", "-"]]
    problems = _assert_nothing_saved(org, seed_budget_xlsx(rows, merges=["C5:D5"]))
    assert any(p.row == 5 and p.column == "C" and "병합" in p.message for p in problems)


def test_blank_rows_are_skipped_and_reported(org):
    rows = [
        ["2건", 99, 92, "-", "-", 99, "-", "-"],
        [None] * 8,
        ["엑스포 승인 준비", 92, 92, "-", "-", 92, "-", "-"],
        [None] * 8,
        ["인센티브", 7, "-", "-", "-", 7, "-", "-"],
        [None] * 8,
    ]
    fixture = make_plan(org)
    result = services.budget_import(
        plan=fixture.plan, data=seed_budget_xlsx(rows), filename="x.xlsx", actor=org.planner
    )
    assert [line.source_row for line in result.parsed.lines] == [7, 9]
    assert "6행: 빈 행을 건너뛰었습니다." in result.parsed.warnings
    assert "8행: 빈 행을 건너뛰었습니다." in result.parsed.warnings


def test_not_an_xlsx_file(org):
    problems = _assert_nothing_saved(org, "사업명,총사업비".encode("cp949"), filename="budget.xlsx")
    assert "XLSX 파일이 아닙니다" in problems[0].message
    assert "손상" in _problems(b"PK\x03\x04garbage")[0].message
    assert "xls" in _problems(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)[0].message


def test_other_units_and_negative_and_fractional_won():
    rows = [
        [None, None, None, None, None, None, None, "(단위: 천원)"],
        ["사업명", "총사업비", "계", "국비", "도비", "시비", "기타", "이후"],
        ["사업", "1,500", 1500, "-", "-", 1500, "-", "-"],
    ]
    parsed = parse_statement(workbook_bytes(rows)).parsed
    assert parsed.lines[0].amounts["total_cost"] == 1_500_000
    rows[2] = ["사업", "△5", 0.0001, "-", "-", 1, "-", "-"]
    problems = parse_statement(workbook_bytes(rows)).problems
    assert {(p.column, p.message) for p in problems} == {
        ("B", "음수는 입력할 수 없습니다."),
        ("C", "원 단위 미만의 금액입니다."),
    }


def test_import_needs_an_open_plan_and_the_office(org):
    from django.core.exceptions import PermissionDenied

    fixture = make_plan(org)
    with pytest.raises(PermissionDenied):
        services.budget_import(plan=fixture.plan, data=seed_budget_xlsx(), filename="x.xlsx", actor=org.manager)
    services.plan_lock(plan=fixture.plan, actor=org.planner)
    with pytest.raises(PermissionDenied):
        services.budget_import(plan=fixture.plan, data=seed_budget_xlsx(), filename="x.xlsx", actor=org.planner)


# --- fuzz: any grid of cells is either read or refused with named problems, never a crash ------------------

cell = st.one_of(
    st.none(),
    st.integers(min_value=-(10**7), max_value=10**7),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9),
    st.sampled_from(["-", "", " ", "2건", "합계", "※ 주석", "계", "국비", "△3", "1,234", "구십이", "»ç¾÷¸í"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
)
body = st.lists(st.lists(cell, min_size=0, max_size=10), min_size=0, max_size=6)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(rows=body, with_header=st.booleans())
def test_fuzz_importer_never_crashes(rows, with_header):
    from openpyxl.utils.exceptions import IllegalCharacterError

    try:
        data = seed_budget_xlsx(rows) if with_header else workbook_bytes(rows)
    except IllegalCharacterError:
        return
    result = parse_statement(data, "fuzz.xlsx")
    if result.ok:
        assert result.parsed is not None
        for line in result.parsed.lines:
            assert line.name
            assert all(v is None or (isinstance(v, int) and v >= 0) for v in line.amounts.values())
    else:
        assert result.problems
        for problem in result.problems:
            assert problem.message
            assert problem.text()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    values=st.lists(
        st.tuples(
            st.text(alphabet="가나다라마바사아자차카타파하 0123456789", min_size=1, max_size=20).filter(
                lambda s: s.strip()
            ),
            st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)), min_size=7, max_size=7),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_fuzz_valid_tables_read_back_exactly(values):
    rows = []
    for name, amounts in values:
        if name.replace(" ", "").endswith("건") or name.strip() in ("계", "합계", "총계"):
            name = f"사업 {name}"
        rows.append([name, *["-" if a is None else a for a in amounts]])
    result = parse_statement(seed_budget_xlsx(rows), "ok.xlsx")
    assert result.ok, [p.text() for p in result.problems]
    read = [(line.name, list(line.amounts.values())) for line in result.parsed.lines]
    expected = [(" ".join(n.split()), [None if a is None else a * M for a in amounts]) for n, amounts in values]
    assert read == expected
