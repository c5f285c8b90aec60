"""Reading the province's indicator list and published results: row-by-row Korean errors, fuzzing."""

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hwallyu.province.importers import (
    HEADER_SEARCH_ROWS,
    ImportFileError,
    indicator_template_xlsx,
    parse_indicator_file,
    parse_peer_file,
    read_table,
    validate_indicator_rows,
    validate_peer_rows,
)

from .conftest import HEADER, xlsx

DEPARTMENTS = {"D001": "미래전략과", "미래전략과": "미래전략과", "D002": "강경읍", "강경읍": "강경읍"}
GOOD = ["1-01", "지역경제", "일자리", "일자리 창출 인원", "정량", "명", "상향", "5,200", "2", "미래전략과", "보고서"]


def rows_of(*rows, header=HEADER):
    return [list(header), *[[str(c) for c in r] for r in rows]]


def errors_of(*rows):
    with pytest.raises(ImportFileError) as info:
        validate_indicator_rows(rows_of(*rows), DEPARTMENTS)
    return [str(e) for e in info.value.errors], info.value.message


def test_a_good_list_with_a_title_row_names_codes_and_semicolons():
    data = xlsx(
        [
            GOOD,
            ["1-02", "지역경제", "", "사고 건수", "정량", "건", "하향", "12", "1.5", "D001; 강경읍", ""],
            ["9-01", "정성평가", "우수사례", "협업 우수사례", "정성", "", "", "", "1.3", "D002", "사례집"],
        ],
        title="2024년 시군평가 지표 목록(충청남도)",
    )
    rows = parse_indicator_file(data, "지표.xlsx", DEPARTMENTS)
    assert [r.code for r in rows] == ["1-01", "1-02", "9-01"]
    first, second, third = rows
    assert first.row == 3 and first.target == D("5200") and first.direction == "rising" and first.kind == "quantitative"
    assert second.direction == "falling" and second.departments == ("미래전략과", "강경읍")
    assert third.kind == "qualitative" and third.target is None and third.direction == "" and third.points == D("1.3")


def test_duplicate_codes_are_refused_with_both_rows():
    errors, message = errors_of(
        GOOD, [*GOOD[:1], "지역경제", "", "다른 지표", "정량", "명", "상향", "10", "1", "강경읍", ""]
    )
    assert "아무것도 저장하지 않았습니다" in message
    assert errors == ["3행 지표코드: 지표코드 1-01가 2행과 중복됩니다. 지표코드는 한 번만 쓸 수 있습니다."]


def test_zero_target_on_a_falling_indicator_is_refused_with_the_reason():
    row = ["2-01", "안전", "", "교통사고 사망자 수", "정량", "명", "하향", "0", "1", "강경읍", ""]
    errors, _ = errors_of(row)
    assert errors == [
        "2행 목표: 하향 지표의 목표가 0이면 달성도(목표 ÷ 실적)를 계산할 수 없습니다. 0보다 큰 목표를 적으세요."
    ]


def test_every_problem_is_reported_by_row_and_column():
    errors, message = errors_of(
        GOOD,
        ["", "지역경제", "", "", "정량", "명", "상향", "10", "1", "미래전략과", ""],
        ["3-01", "복지", "", "지표", "정량평가", "명", "상향", "10", "1", "미래전략과", ""],
        ["3-02", "복지", "", "지표", "정량", "명", "위로", "열", "-1", "없는과; 강경읍", ""],
        ["3-03", "복지", "", "지표", "정량", "명", "", "", "1", "미래전략과", ""],
    )
    assert "오류가" in message
    assert "3행 지표코드: 비어 있습니다." in errors
    assert "3행 지표명: 비어 있습니다." in errors
    assert "4행 구분: 정량 또는 정성이어야 합니다(받은 값: 정량평가)." in errors
    assert "5행 방향: 상향 또는 하향이어야 합니다(받은 값: 위로)." in errors
    assert "5행 목표: 숫자가 아닙니다: '열'" in errors
    assert "5행 배점: 배점은 0 이상이어야 합니다." in errors
    assert "5행 담당부서: 없는 부서입니다: 없는과 (부서명 또는 부서코드, ';'로 구분)." in errors
    assert "6행 방향: 정량 지표는 방향(상향/하향)이 필요합니다." in errors
    assert "6행 목표: 정량 지표는 목표가 필요합니다." in errors


def test_header_problems():
    with pytest.raises(ImportFileError) as info:
        validate_indicator_rows([["지표코드", "지표명", "분야"]], DEPARTMENTS)
    assert "필수 열이 없습니다: 구분, 목표, 배점, 담당부서" in str(info.value)
    with pytest.raises(ImportFileError, match="머리글 행을 찾을 수 없습니다"):
        validate_indicator_rows([["아무", "내용"]] * 3, DEPARTMENTS)
    with pytest.raises(ImportFileError, match="가져올 지표가 없습니다"):
        validate_indicator_rows(rows_of(), DEPARTMENTS)


def test_broken_and_empty_files():
    with pytest.raises(ImportFileError, match="엑셀 파일을 열 수 없습니다"):
        read_table(b"PK\x03\x04 not really a zip", "목록.xlsx")
    with pytest.raises(ImportFileError, match="비어 있습니다"):
        read_table(b"", "목록.xlsx")


def test_cp949_csv_is_read():
    text = ",".join(HEADER) + "\n" + ",".join(c.replace(",", "") for c in GOOD) + "\n"
    rows = parse_indicator_file(text.encode("cp949"), "목록.csv", DEPARTMENTS)
    assert rows[0].name == "일자리 창출 인원" and rows[0].target == D("5200")


def test_the_template_reads_back():
    rows = parse_indicator_file(indicator_template_xlsx(), "양식.xlsx", {"세정과": 1, "인구청년과": 2, "여성가족과": 3})
    assert [(r.code, r.kind, r.departments) for r in rows] == [
        ("1-01", "quantitative", (1,)),
        ("9-01", "qualitative", (2, 3)),
    ]


cells = st.one_of(
    st.sampled_from(
        [
            "",
            "정량",
            "정성",
            "상향",
            "하향",
            "0",
            "-1",
            "1,234.5",
            "85%",
            "△3",
            "nan",
            "inf",
            "1e400",
            "미래전략과",
            "D002;강경읍",
            ";",
            "1-01",
            "가" * 40,
        ]
    ),
    st.text(max_size=12),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cells, min_size=0, max_size=13), max_size=8))
def test_fuzz_never_crashes_and_accepts_only_clean_rows(body):
    table = [list(HEADER), *body]
    try:
        rows = validate_indicator_rows(table, DEPARTMENTS)
    except ImportFileError as exc:
        assert exc.message
        assert all(str(e) for e in exc.errors)
        return
    codes = [r.code for r in rows]
    assert len(codes) == len(set(codes))
    for r in rows:
        assert r.departments and r.points >= 0
        if r.kind == "quantitative":
            assert r.direction in ("rising", "falling") and r.target is not None and r.target > 0
        else:
            assert r.target is None


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["정량", "정성"]),
            st.sampled_from(["상향", "하향"]),
            st.decimals(min_value=D("0.0001"), max_value=10**9, places=4),
            st.decimals(min_value=0, max_value=999, places=3),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_generated_valid_lists_read_back_exactly(specs):
    body = [
        [f"X-{n:02d}", "분야", "", f"지표 {n}", kind, "건", direction, str(target), str(points), "D001", ""]
        for n, (kind, direction, target, points) in enumerate(specs)
    ]
    rows = validate_indicator_rows([list(HEADER), *body], DEPARTMENTS)
    assert len(rows) == len(specs)
    for row, (kind, direction, target, points) in zip(rows, specs, strict=True):
        assert row.points == points
        if kind == "정량":
            assert row.target == target and row.direction == ("rising" if direction == "상향" else "falling")
        else:
            assert row.target is None


# --- published results ---------------------------------------------------------------------------

PEER_HEADER = ["연도", "시군", "평가군", "점수", "순위"]


def test_peer_file_reads_and_refuses_duplicates():
    data = xlsx(
        [[2023, "천안시", "시부", 91.7, 1], [2023, "논산시", "시부", 87.2, 5], [2023, "홍성군", "군부", 90.5, 1]],
        header=PEER_HEADER,
    )
    rows = parse_peer_file(data, "결과.xlsx")
    assert [(r.place, r.group, r.score, r.rank) for r in rows][1] == ("논산시", "city", D("87.2"), 5)
    table = [
        PEER_HEADER,
        ["2023", "논산", "시부", "87", "5"],
        ["2023", "논산시", "시부", "88", "5"],
        ["2023", "아산", "도부", "x", "0"],
    ]
    with pytest.raises(ImportFileError) as info:
        validate_peer_rows(table)
    errors = [str(e) for e in info.value.errors]
    assert "3행 시군: 2023년 논산시가 2행과 중복됩니다." in errors
    assert "3행 순위: 2023년 같은 평가군의 5위가 2행과 중복됩니다." in errors
    assert "4행 평가군: 시부 또는 군부여야 합니다." in errors
    assert "4행 순위: 1 이상의 정수여야 합니다." in errors
    assert len(table) < HEADER_SEARCH_ROWS
