"""Org chart import: CSV in any Korean office encoding or XLSX, one validator, all or nothing."""

import csv
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from hwallyu.core.models import AuditEvent
from hwallyu.org import importers, services
from hwallyu.org.importers import OrgImportError
from hwallyu.org.models import Bureau, Department, DepartmentKind, EvaluationGroup, Team

HEADER = ["부서코드", "부서명", "구분", "국", "평가군", "팀", "사용"]
ROWS = [
    ["D001", "미래전략과", "본청", "자치행정국", "본청 사업부서", "전략기획팀;국방정책팀", "Y"],
    ["D010", "보건소", "직속기관", "", "직속기관·사업소", "보건행정팀", "Y"],
    ["D011", "상하수도사업소", "사업소", "", "직속기관·사업소", "", "Y"],
    ["D012", "연무읍", "읍면동", "", "읍면동", "행정민원팀;맞춤형복지팀", "N"],
]


def to_csv(rows, encoding="utf-8", bom=False):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def to_xlsx(rows, title_rows=0):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for _ in range(title_rows):
        sheet.append(["논산시 조직도"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def state():
    """Everything an import may change, to prove a failed import saved nothing."""
    return (
        sorted(Department.objects.values_list("code", "name", "kind", "bureau_id", "evaluation_group_id", "active")),
        sorted(Team.objects.values_list("department_id", "name", "active")),
        sorted(Bureau.objects.values_list("name", flat=True)),
        sorted(EvaluationGroup.objects.values_list("name", flat=True)),
    )


# --- reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("cp949", False), ("euc-kr", False)])
def test_csv_in_every_korean_office_encoding_reads_the_same(encoding, bom):
    rows = importers.parse_org_chart(to_csv([HEADER, *ROWS], encoding, bom), "조직도.csv")
    assert [r.name for r in rows] == ["미래전략과", "보건소", "상하수도사업소", "연무읍"]
    assert rows[0].teams == ("전략기획팀", "국방정책팀")
    assert rows[0].kind == DepartmentKind.MAIN and rows[3].kind == DepartmentKind.LOCAL
    assert rows[3].active is False


def test_xlsx_written_with_openpyxl_feeds_the_same_validator():
    rows = importers.parse_org_chart(to_xlsx([HEADER, *ROWS], title_rows=1), "조직도.xlsx")
    assert [(r.row, r.code) for r in rows] == [(3, "D001"), (4, "D010"), (5, "D011"), (6, "D012")]


def test_xlsx_numeric_codes_and_boolean_cells_become_text():
    data = to_xlsx([HEADER, [101, "재무과", "본청", "", "본청 지원부서", None, True]])
    (row,) = importers.parse_org_chart(data, "a.xlsx")
    assert (row.code, row.active) == ("101", True)


def test_headers_in_any_order_with_hints_in_parentheses():
    header = ["사용(Y/N)", "구분(본청/직속기관/사업소/읍면동)", "부서명", "부서코드", "평가군", "국"]
    (row,) = importers.parse_org_chart(to_csv([header, ["Y", "읍면동", "강경읍", "D020", "읍면동", ""]]))
    assert (row.code, row.name, row.teams) == ("D020", "강경읍", ())


# --- errors ------------------------------------------------------------------------------------


def test_bad_row_is_named_by_number_in_korean():
    rows = [HEADER, ROWS[0], ["D002", "재무과", "본청2", "", "본청 지원부서", "", "Y"]]
    with pytest.raises(OrgImportError) as exc:
        importers.parse_org_chart(to_csv(rows))
    messages = [str(e) for e in exc.value.errors]
    assert messages == ["3행 구분: '본청2'은(는) 허용되지 않는 값입니다 (본청/직속기관/사업소/읍면동)"]
    assert "아무것도 저장하지 않았습니다" in exc.value.message


def test_every_problem_of_every_row_is_reported():
    rows = [
        HEADER,
        ["D001", "미래전략과", "본청", "", "본청 사업부서", "", "Y"],
        ["D001", "재무과", "본청", "", "본청 지원부서", "", "예"],
        ["", "", "", "", "", "감사팀;감사팀", ""],
        ["D 3", "미래전략과", "읍면동", "", "읍면동", "", "N"],
    ]
    with pytest.raises(OrgImportError) as exc:
        importers.parse_org_chart(to_csv(rows))
    messages = [str(e) for e in exc.value.errors]
    assert "3행 부서코드: 'D001'이(가) 2행과 중복됩니다." in messages
    assert "3행 사용: '예'은(는) 허용되지 않는 값입니다 (Y/N)" in messages
    assert "4행 부서코드: 값이 비어 있습니다." in messages
    assert "4행 부서명: 값이 비어 있습니다." in messages
    assert "4행 평가군: 값이 비어 있습니다." in messages
    assert "4행 팀: '감사팀'이(가) 두 번 적혀 있습니다." in messages
    assert "5행 부서코드: 'D 3'은(는) 영문, 숫자, -, _ 만 쓸 수 있습니다." in messages
    assert "5행 부서명: '미래전략과'이(가) 2행과 중복됩니다." in messages


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.csv", "파일이 비어 있습니다"),
        (b"   \r\n\r\n", "a.csv", "파일이 비어 있습니다"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png", "CSV 파일이 아닙니다"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "엑셀 파일을 열 수 없습니다"),
        ("이름,전화\n홍길동,010\n".encode(), "a.csv", "머리글 행을 찾을 수 없습니다"),
    ],
)
def test_broken_files_get_a_clear_message(data, filename, message):
    with pytest.raises(OrgImportError) as exc:
        importers.parse_org_chart(data, filename)
    assert message in str(exc.value)


def test_wrong_header_names_the_missing_columns():
    with pytest.raises(OrgImportError) as exc:
        importers.parse_org_chart(to_csv([["부서코드", "부서명", "국"], ["D1", "A", ""]]))
    assert "1행 필수 열이 없습니다: 구분, 평가군, 사용" in str(exc.value)


def test_header_only_file_has_no_rows():
    with pytest.raises(OrgImportError) as exc:
        importers.parse_org_chart(to_csv([HEADER]))
    assert "부서 행이 없습니다" in str(exc.value)


def test_too_long_name_is_reported():
    with pytest.raises(OrgImportError) as exc:
        importers.parse_org_chart(to_csv([HEADER, ["D1", "가" * 51, "본청", "", "G", "", "Y"]]))
    assert "2행 부서명: 50자를 넘을 수 없습니다 (현재 51자)." in str(exc.value)


# --- the import service -------------------------------------------------------------------------


def test_import_creates_and_updates_by_code_and_creates_bureaus_groups_teams(org):
    report = services.org_chart_import(data=to_csv([HEADER, *ROWS], "cp949"), filename="조직도.csv", actor=org.planner)
    assert (report.created, report.updated, report.unchanged) == (3, 1, 0)
    assert report.groups_created == ["직속기관·사업소", "읍면동"]
    assert report.teams_created == 5
    updated = Department.objects.get(code="D001")
    assert updated.name == "미래전략과" and updated.bureau.name == "자치행정국"
    assert sorted(updated.teams.values_list("name", flat=True)) == ["국방정책팀", "전략기획팀"]
    local = Department.objects.get(code="D012")
    assert (local.kind, local.active, local.bureau) == (DepartmentKind.LOCAL, False, None)
    summary = AuditEvent.objects.filter(action="org.import").get()
    assert summary.after["created"] == 3 and summary.after["teams_created"] == 5
    assert summary.actor == org.planner


def test_reimporting_the_same_file_changes_nothing(org):
    data = to_csv([HEADER, *ROWS])
    services.org_chart_import(data=data, filename="a.csv", actor=org.planner)
    before = state()
    report = services.org_chart_import(data=data, filename="a.csv", actor=org.planner)
    assert report.unchanged == 4 and report.created == report.updated == 0
    assert state() == before


def test_names_can_swap_between_departments_in_one_file(org):
    rows = [
        HEADER,
        ["D001", "강경읍", "읍면동", "", "읍면동", "", "Y"],
        ["D002", "미래전략과", "본청", "자치행정국", "본청 사업부서", "", "Y"],
    ]
    services.org_chart_import(data=to_csv(rows), filename="swap.csv", actor=org.planner)
    assert Department.objects.get(code="D001").name == "강경읍"
    assert Department.objects.get(code="D002").name == "미래전략과"


def test_name_used_by_a_department_outside_the_file_fails_the_row(org):
    before = state()
    rows = [HEADER, ["D100", "기획감사실", "본청", "", "본청 지원부서", "", "Y"]]
    with pytest.raises(OrgImportError) as exc:
        services.org_chart_import(data=to_csv(rows), filename="a.csv", actor=org.planner)
    assert str(exc.value.errors[0]).startswith("2행 부서명: '기획감사실'은(는) 파일에 없는 다른 부서(코드 PLAN)")
    assert state() == before


def test_planning_office_cannot_be_switched_off_by_import(org):
    rows = [HEADER, ["PLAN", "기획감사실", "본청", "", "본청 지원부서", "", "N"]]
    with pytest.raises(OrgImportError) as exc:
        services.org_chart_import(data=to_csv(rows), filename="a.csv", actor=org.planner)
    assert "2행 사용: 기획감사실은 사용 중지(N)할 수 없습니다." in str(exc.value)


def test_one_bad_row_saves_nothing(org):
    before = state()
    events = AuditEvent.objects.count()
    rows = [HEADER, *ROWS, ["D099", "새부서", "본청2", "", "본청 지원부서", "", "Y"]]
    with pytest.raises(OrgImportError):
        services.org_chart_import(data=to_csv(rows), filename="a.csv", actor=org.planner)
    assert state() == before
    assert AuditEvent.objects.count() == events


def test_dry_run_checks_and_rolls_back(org):
    before = state()
    report = services.org_chart_import(data=to_csv([HEADER, *ROWS]), filename="a.csv", actor=org.planner, dry_run=True)
    assert report.created == 3
    assert state() == before


def test_import_is_for_the_office_only(org):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.org_chart_import(data=to_csv([HEADER, *ROWS]), filename="a.csv", actor=org.manager)


# --- fuzzing: only OrgImportError, and nothing saved on failure ------------------------------------

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(data=st.binary(max_size=400), filename=st.sampled_from(["a.csv", "a.xlsx", "a.txt", ""]))
def test_random_bytes_never_raise_anything_but_the_import_error(data, filename):
    try:
        importers.parse_org_chart(data, filename)
    except OrgImportError as exc:
        assert str(exc)


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes_after_a_zip_signature_are_a_broken_spreadsheet(data):
    with pytest.raises(OrgImportError):
        importers.parse_org_chart(b"PK\x03\x04" + data, "a.xlsx")


cell = st.one_of(
    st.sampled_from(["본청", "직속기관", "사업소", "읍면동", "Y", "N", "y", "", " ", "D001", "PLAN", "자치행정국"]),
    st.text(max_size=12),
)
row = st.lists(cell, min_size=0, max_size=8)


@FUZZ
@given(rows=st.lists(row, max_size=6), header=st.booleans(), encoding=st.sampled_from(["utf-8", "cp949", "xlsx"]))
def test_random_rows_import_all_or_nothing(org, rows, header, encoding):
    table = [HEADER, *rows] if header else rows
    if encoding == "xlsx":
        clean = [[ILLEGAL_CHARACTERS_RE.sub("", c) for c in r] for r in table]
        data, filename = to_xlsx([[c or None for c in r] for r in clean]), "f.xlsx"
    else:
        try:
            data, filename = to_csv(table, encoding), "f.csv"
        except UnicodeEncodeError:
            return
    before = state()
    events = AuditEvent.objects.count()
    try:
        services.org_chart_import(data=data, filename=filename, actor=org.planner)
    except OrgImportError:
        assert state() == before
        assert AuditEvent.objects.count() == events
