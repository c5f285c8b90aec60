"""Demo province evaluation: the 2024 year with 90 indicators (75 정량 + 15 정성) over the demo
departments, cumulative actuals January–October (September and earlier accepted, October waiting
for review), eleven lagging indicators with reasons, qualitative write-ups and consulting logs, and
the published results of Chungnam's 15 cities and counties for 2021–2023.

미래전략과 (the demo ``manager``/``staff`` accounts) has no October actuals yet, so the
browser walk-through can enter them.  Idempotent: nothing is added when 2024 already has
indicators.  Runs after the organisation demo (order 10), whose departments and accounts it uses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction

from hwallyu.core.audit import log_action
from hwallyu.core.calendar import SEOUL
from hwallyu.org.models import Role
from hwallyu.org.selectors import departments, users_with_role
from hwallyu.province import services
from hwallyu.province.importers import IndicatorRow, PeerRow
from hwallyu.province.models import (
    Actual,
    ActualStatus,
    ChecklistCheck,
    ConsultingEntry,
    EvaluationYear,
    Indicator,
    WriteupVersion,
)

log = logging.getLogger(__name__)
YEAR = 2024
LAST_MONTH = 10
HOLD_BACK_DEPARTMENT = "미래전략과"  # its October actuals are left for the walk-through

# code | field | policy | name | unit | direction | target | points | departments (;)
QUANTITATIVE = """
A-01|일반행정|재정 건전성|지방세 징수율|%|상향|98.5|1.0|세정과
A-02|일반행정|재정 건전성|지방세 체납액 정리 실적|백만원|상향|3200|1.0|세정과
A-03|일반행정|재정 건전성|세외수입 체납액 징수액|백만원|상향|850|1.0|세정과;회계과
A-04|일반행정|재정 신속집행|지방재정 신속집행액|억원|상향|4800|1.5|재무과
A-05|일반행정|열린 행정|정보공개 청구 처리 건수|건|상향|2400|1.0|행정지원과
A-06|일반행정|민원 서비스|민원 처리기간 단축 건수|건|상향|1500|1.0|민원과
A-07|일반행정|민원 서비스|민원 처리기간 경과 건수|건|하향|60|1.0|민원과
A-08|일반행정|디지털 행정|공공데이터 개방 건수|건|상향|45|1.0|정보통신과
A-09|일반행정|인구 정책|전입 인구 수|명|상향|9000|1.5|인구청년과
A-10|일반행정|청년 정책|청년 정책 참여 인원|명|상향|1200|1.0|인구청년과
A-11|일반행정|공직 기강|공직자 비위 적발 건수|건|하향|6|1.0|기획감사실
A-12|일반행정|주민 참여|주민참여예산 반영 사업 수|건|상향|40|1.0|재무과
A-13|일반행정|주민 자치|주민자치회 운영 읍면동 수|개|상향|15|1.0|행정지원과;취암동;부창동
B-01|지역경제|일자리|일자리 창출 인원|명|상향|5200|2.0|일자리경제과
B-02|지역경제|일자리|노인 일자리 참여 인원|명|상향|3100|1.0|노인장애인과
B-03|지역경제|기업 유치|기업 투자 유치 금액|억원|상향|3500|2.0|투자유치과
B-04|지역경제|기업 유치|산업단지 분양 면적|천㎡|상향|180|1.5|투자유치과;미래전략과
B-05|지역경제|국방 산업|국방 관련 기업 유치 수|개|상향|12|1.0|미래전략과;국방산업과
B-06|지역경제|소상공인|소상공인 경영 지원 건수|건|상향|900|1.0|기업지원과
B-07|지역경제|지역 화폐|지역화폐 발행액|억원|상향|1100|1.0|일자리경제과
B-08|지역경제|에너지|신재생에너지 보급 용량|kW|상향|4200|1.0|에너지정책과
B-09|지역경제|사회적 경제|사회적기업 육성 수|개|상향|8|1.0|일자리경제과
B-10|지역경제|전통시장|전통시장 매출 증가액|백만원|상향|2600|1.0|기업지원과
C-01|사회복지|복지 사각지대|위기가구 발굴 지원 건수|건|상향|2800|1.5|주민복지과;사회복지과
C-02|사회복지|복지 사각지대|긴급복지 지원 가구 수|가구|상향|650|1.0|주민복지과
C-03|사회복지|노인 복지|치매 안심 서비스 이용 인원|명|상향|1900|1.0|보건소;노인장애인과
C-04|사회복지|장애인 복지|장애인 일자리 참여 인원|명|상향|320|1.0|노인장애인과
C-05|사회복지|자활|자활 성공 인원|명|상향|85|1.0|사회복지과
C-06|사회복지|아동 복지|아동학대 재발 건수|건|하향|8|1.0|아동보육과
C-07|사회복지|보육|국공립 어린이집 이용 아동 수|명|상향|1450|1.0|아동보육과
C-08|사회복지|지역사회 보장|찾아가는 보건복지 상담 건수|건|상향|5200|1.0|주민복지과;강경읍;연무읍
C-09|사회복지|나눔 문화|나눔 기부 모금액|백만원|상향|780|1.0|사회복지과
D-01|보건위생|예방 접종|영유아 국가예방접종률|%|상향|96|1.0|보건소
D-02|보건위생|건강 증진|금연 클리닉 6개월 성공자 수|명|상향|420|1.0|보건소
D-03|보건위생|건강 증진|건강생활 실천 프로그램 참여자 수|명|상향|6800|1.0|보건소
D-04|보건위생|감염병 관리|결핵 신환자 수|명|하향|45|1.0|보건소
D-05|보건위생|식품 안전|식품 위생업소 점검 건수|건|상향|1800|1.0|보건소
D-06|보건위생|정신 건강|자살 고위험군 사례관리 인원|명|상향|260|1.0|보건소
E-01|환경산림|자원 순환|생활폐기물 재활용률|%|상향|62|1.0|자원순환센터
E-02|환경산림|자원 순환|1인당 생활폐기물 발생량|kg|하향|290|1.0|자원순환센터
E-03|환경산림|대기 환경|노후 경유차 조기폐차 대수|대|상향|1100|1.0|환경과
E-04|환경산림|대기 환경|전기자동차 보급 대수|대|상향|520|1.0|환경과
E-05|환경산림|산림|산림 조성 면적|ha|상향|150|1.0|산림녹지과
E-06|환경산림|산림|산불 발생 건수|건|하향|10|1.0|산림녹지과
E-07|환경산림|물 관리|상수도 유수율|%|상향|82|1.0|상하수도사업소
E-08|환경산림|물 관리|하수도 신규 보급 가구 수|가구|상향|1300|1.0|상하수도사업소
F-01|문화관광체육|관광|관광객 방문 수|천명|상향|3600|1.5|관광진흥과
F-02|문화관광체육|관광|지역 축제 방문객 수|천명|상향|950|1.0|관광진흥과;딸기산업과
F-03|문화관광체육|문화|문화 프로그램 참여 인원|명|상향|42000|1.0|문화체육과;문화예술회관
F-04|문화관광체육|체육|생활체육 참여 인원|명|상향|28000|1.0|문화체육과
F-05|문화관광체육|도서관|공공도서관 대출 권수|권|상향|310000|1.0|시립도서관
F-06|문화관광체육|평생학습|평생학습 프로그램 이수자 수|명|상향|5200|1.0|평생학습관
G-01|농림축산|농업 경쟁력|농식품 수출액|만달러|상향|1800|1.5|농식품유통과;딸기산업과
G-02|농림축산|농업 경쟁력|딸기 수출액|만달러|상향|950|1.0|딸기산업과
G-03|농림축산|친환경 농업|친환경 인증 면적|ha|상향|680|1.0|농업정책과
G-04|농림축산|스마트 농업|스마트팜 보급 면적|ha|상향|35|1.0|농업기술센터
G-05|농림축산|로컬푸드|로컬푸드 직매장 매출액|백만원|상향|9500|1.0|농식품유통과
G-06|농림축산|가축 방역|가축전염병 발생 건수|건|하향|3|1.0|축산과
G-07|농림축산|귀농귀촌|귀농·귀촌 가구 수|가구|상향|620|1.0|농촌활력과
G-08|농림축산|농촌 활력|농촌 체험 방문객 수|명|상향|48000|1.0|농촌활력과;양촌면
H-01|안전관리|재난 대응|재난 대응 안전한국훈련 실시 횟수|회|상향|36|1.0|안전총괄과
H-02|안전관리|교통 안전|교통사고 사망자 수|명|하향|14|1.5|교통과;안전총괄과
H-03|안전관리|생활 안전|안전 점검 시설 수|개소|상향|840|1.0|안전총괄과;건축과
H-04|안전관리|재해 예방|자연재해 위험개선지구 정비율|%|상향|85|1.0|건설과
H-05|안전관리|생활 안전|CCTV 통합관제 연계 대수|대|상향|320|1.0|정보통신과
I-01|지역개발|도시 재생|도시재생 사업 집행률|%|상향|90|1.0|도시과
I-02|지역개발|주거|주거환경 개선 가구 수|가구|상향|260|1.0|건축과
I-03|지역개발|교통|시내버스 이용객 수|천명|상향|2900|1.0|교통과
I-04|지역개발|토지|지적 재조사 완료 필지 수|필지|상향|2100|1.0|토지관리과
I-05|지역개발|도로|도로 정비 연장|km|상향|24|1.0|건설과
J-01|교육·여성·가족|교육|교육 지원 사업 수혜 학생 수|명|상향|7400|1.0|교육청소년과
J-02|교육·여성·가족|청소년|청소년 활동 참여 인원|명|상향|9800|1.0|청소년수련관
J-03|교육·여성·가족|여성|여성 경제활동 지원 인원|명|상향|540|1.0|여성가족과
J-04|교육·여성·가족|가족|가족 지원 서비스 이용 가구 수|가구|상향|1250|1.0|여성가족과
J-05|교육·여성·가족|출산|출생아 수|명|상향|620|1.5|인구청년과;여성가족과
"""

# code | policy | name | departments (;)
QUALITATIVE = """
Q-01|일자리|일자리 창출 시책 우수사례|일자리경제과
Q-02|저출산 대응|저출산 극복 시책 우수사례|인구청년과;여성가족과
Q-03|복지|복지 사각지대 해소 우수사례|주민복지과
Q-04|안전|재난 안전 관리 우수사례|안전총괄과
Q-05|관광|지역 관광 활성화 우수사례|관광진흥과
Q-06|농업|스마트 농업 육성 우수사례|농업기술센터
Q-07|환경|탄소중립 실천 우수사례|환경과
Q-08|행정|적극 행정 우수사례|행정지원과
Q-09|민원|민원 서비스 혁신 우수사례|민원과
Q-10|보건|지역 보건의료 우수사례|보건소
Q-11|국방|국방 산업 육성 우수사례|미래전략과;국방산업과
Q-12|청렴|청렴 시책 우수사례|기획감사실
Q-13|지역개발|도시재생 우수사례|도시과
Q-14|문화|문화 도시 조성 우수사례|문화체육과
Q-15|협업|도-시군 협업 과제 기여도|미래전략과
"""
QUALITATIVE_POINTS = Decimal("1.3")
QUALITATIVE_SUBMITTED = {"Q-01", "Q-02", "Q-03", "Q-04", "Q-05", "Q-07", "Q-08", "Q-09", "Q-10", "Q-12", "Q-14"}

# Year-end forecast ÷ target in October; below 1 (rising) or above 1 (falling) is lagging.
LAGGING_PACE = {
    "B-03": 0.62,
    "B-01": 0.86,
    "A-09": 0.78,
    "F-01": 0.83,
    "G-01": 0.74,
    "E-04": 0.66,
    "D-06": 0.84,
    "J-05": 0.88,
    "H-02": 1.29,
    "C-06": 1.5,
}
# Lagging only since October (on track until September), and lagging until September only.
NEW_LAGGING = {"I-03": 0.9}
RESOLVED = {"D-02": (0.82, 1.06)}
ACHIEVED_PACE = {"A-05": 1.3, "C-02": 1.28, "F-04": 1.25, "G-05": 1.26, "H-01": 1.3, "J-02": 1.27, "E-08": 1.24}
LAG_REASONS = {
    "B-03": "고금리·경기 둔화로 투자협약 2건 연기. 11월 국방산단 투자설명회, 12월 MOU 3건 추진.",
    "B-01": "공공일자리 하반기 사업 착수 지연. 11월 신중년 일자리 추가 모집(150명).",
    "A-09": "대학 기숙사 전입 신고 감소. 전입 지원금 홍보 강화, 군부대 전입 캠페인 11월 실시.",
    "F-01": "여름철 폭염·호우로 탑정호 방문객 감소. 가을 축제 연계 관광 상품 운영.",
    "G-01": "딸기 해외 물류비 상승으로 수출 물량 감소. 동남아 신규 바이어 발굴(12월 수출상담회).",
    "E-04": "국비 보조금 단가 인하로 신청 저조. 추가 공고 및 읍면동 찾아가는 설명회.",
    "D-06": "사례관리 인력 결원(2명). 11월 충원 후 고위험군 집중 발굴.",
    "J-05": "혼인 건수 감소 영향. 출산 장려금·산후조리비 지원 홍보 강화.",
    "H-02": "고령 보행자 사고 증가. 노인보호구역 3개소 추가 지정, 야간 단속 강화.",
    "C-06": "재발 사례 집중(2가구). 아동보호전문기관 연계 사후관리 주 1회로 강화.",
    "I-03": "10월 노선 개편 과도기 이용객 감소. 11월 정류장 안내 정비·노선 홍보.",
}
DECIMAL_UNITS = {"%", "km", "ha", "kg", "억원", "천㎡"}
BACK_LOADED = [0.04, 0.09, 0.16, 0.25, 0.34, 0.43, 0.52, 0.61, 0.70, 0.79, 0.89, 1.0]
PROFILED = {"A-04", "F-01", "F-02", "I-01", "H-04", "G-03", "E-05", "B-07"}

PEERS = {
    2021: {
        "city": [
            ("천안시", 90.8),
            ("아산시", 89.9),
            ("당진시", 88.2),
            ("서산시", 87.5),
            ("공주시", 86.3),
            ("논산시", 85.1),
            ("보령시", 84.0),
            ("계룡시", 81.7),
        ],
        "county": [
            ("홍성군", 89.6),
            ("예산군", 88.4),
            ("부여군", 87.9),
            ("금산군", 86.5),
            ("서천군", 85.2),
            ("태안군", 84.7),
            ("청양군", 83.3),
        ],
    },
    2022: {
        "city": [
            ("아산시", 91.4),
            ("천안시", 90.6),
            ("논산시", 88.9),
            ("당진시", 88.1),
            ("서산시", 87.0),
            ("보령시", 85.6),
            ("공주시", 85.2),
            ("계룡시", 82.9),
        ],
        "county": [
            ("예산군", 90.1),
            ("홍성군", 89.4),
            ("금산군", 87.8),
            ("부여군", 87.2),
            ("태안군", 86.0),
            ("청양군", 84.9),
            ("서천군", 84.1),
        ],
    },
    2023: {
        "city": [
            ("천안시", 91.7),
            ("아산시", 90.8),
            ("당진시", 89.3),
            ("서산시", 88.6),
            ("논산시", 87.2),
            ("공주시", 86.9),
            ("보령시", 85.4),
            ("계룡시", 83.1),
        ],
        "county": [
            ("홍성군", 90.5),
            ("부여군", 89.2),
            ("예산군", 88.7),
            ("금산군", 87.5),
            ("청양군", 86.1),
            ("서천군", 85.3),
            ("태안군", 84.6),
        ],
    },
}


def _rng(code: str) -> random.Random:
    return random.Random(int(hashlib.sha256(code.encode()).hexdigest()[:12], 16))


def _round(value: float, unit: str) -> Decimal:
    places = Decimal("0.1") if unit in DECIMAL_UNITS else Decimal(1)
    return Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP)


def _path(code: str, target: float, unit: str, direction: str) -> list[Decimal]:
    """Cumulative actuals January–October of one indicator, monotonic."""
    rng = _rng(code)
    shares = BACK_LOADED if code in PROFILED else [m / 12 for m in range(1, 13)]
    if code in LAGGING_PACE:
        paces = [LAGGING_PACE[code]] * LAST_MONTH
    elif code in ACHIEVED_PACE:
        paces = [ACHIEVED_PACE[code]] * LAST_MONTH
    elif code in NEW_LAGGING:
        paces = [1.04] * 9 + [NEW_LAGGING[code]]
    elif code in RESOLVED:
        before, after = RESOLVED[code]
        paces = [before] * 9 + [after]
    elif direction == "falling":
        paces = [rng.uniform(0.72, 0.93)] * LAST_MONTH
    else:
        paces = [rng.uniform(1.03, 1.16)] * LAST_MONTH
    values: list[Decimal] = []
    previous = Decimal(0)
    for month in range(1, LAST_MONTH + 1):
        wobble = 1 + rng.uniform(-0.025, 0.025) if month < LAST_MONTH else 1.0
        raw = target * paces[month - 1] * shares[month - 1] * wobble
        value = max(_round(raw, unit), previous)
        values.append(value)
        previous = value
    return values


def _lines(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("|")] for line in text.strip().splitlines()]


def _person(department: Any, *roles: str) -> Any:
    people = users_with_role(*roles, department=department)
    return people[0] if people else None


def load() -> None:
    planners = users_with_role(Role.PLANNING)
    actor = next((u for u in planners if u.username == "perf"), planners[0] if planners else None)
    if actor is None:
        log.warning("시군평가 데모: 기획감사실 사용자가 없어 건너뜁니다(조직 데모를 먼저 불러오세요).")
        return
    existing = EvaluationYear.objects.filter(year=YEAR).first()
    if existing is not None and existing.indicators.exists():
        _load_peers(actor)
        return
    by_name = {d.name: d for d in departments()}
    with transaction.atomic():
        evaluation_year = existing or services.year_create(
            year=YEAR, actor=actor, scheme=services.SchemeInput(title=f"{YEAR}년 위임사무 시군평가(충청남도)")
        )
        rows = _indicator_rows(by_name)
        services.indicators_import(evaluation_year=evaluation_year, rows=rows, actor=actor)
        indicators = {i.code: i for i in evaluation_year.indicators.prefetch_related("departments")}
        for code in PROFILED:
            indicator = indicators[code]
            assert indicator.target is not None
            last_year = float(indicator.target) * 0.95
            Indicator.objects.filter(pk=indicator.pk).update(
                prior_profile=[str(_round(last_year * s, indicator.unit)) for s in BACK_LOADED]
            )
        count = _load_actuals(indicators, actor)
        _load_qualitative(evaluation_year, indicators)
        log_action(
            actor=None,
            action="province.demo_load",
            target=evaluation_year,
            after={"indicators": len(indicators), "actuals": count},
        )
    _load_peers(actor)


def _indicator_rows(by_name: dict[str, Any]) -> list[IndicatorRow]:
    rows: list[IndicatorRow] = []
    for n, (code, field, policy, name, unit, direction, target, points, owners) in enumerate(_lines(QUANTITATIVE), 1):
        rows.append(
            IndicatorRow(
                row=n,
                code=code,
                field=field,
                policy=policy,
                name=name,
                kind="quantitative",
                unit=unit,
                direction="rising" if direction == "상향" else "falling",
                target=Decimal(target),
                points=Decimal(points),
                departments=tuple(by_name[o] for o in owners.split(";")),
                evidence_rule="월별 실적 보고서 및 근거 자료(공문, 시스템 화면 등)",
            )
        )
    offset = len(rows)
    for n, (code, policy, name, owners) in enumerate(_lines(QUALITATIVE), offset + 1):
        rows.append(
            IndicatorRow(
                row=n,
                code=code,
                field="정성평가",
                policy=policy,
                name=name,
                kind="qualitative",
                unit="",
                direction="",
                target=None,
                points=QUALITATIVE_POINTS,
                departments=tuple(by_name[o] for o in owners.split(";")),
                evidence_rule="우수사례 보고서(10쪽 이내), 추진 실적 증빙, 언론 보도 자료",
            )
        )
    return rows


def _load_actuals(indicators: dict[str, Indicator], reviewer: Any) -> int:
    actuals: list[Actual] = []
    for code, indicator in indicators.items():
        if not indicator.is_quantitative:
            continue
        assert indicator.target is not None
        owners = list(indicator.departments.all())
        owner = owners[0]
        submitter = _person(owner, Role.STAFF, Role.MANAGER)
        held_back = any(d.name == HOLD_BACK_DEPARTMENT for d in owners)
        values = _path(code, float(indicator.target), indicator.unit, indicator.direction)
        for month, value in enumerate(values, start=1):
            if held_back and month == LAST_MONTH:
                continue
            submitted = dt.datetime(YEAR, month + 1, 4, 10, 30, tzinfo=SEOUL)
            pending = month == LAST_MONTH
            reason = LAG_REASONS.get(code, "") if month >= 9 else ""
            actuals.append(
                Actual(
                    indicator=indicator,
                    month=month,
                    value=value,
                    lag_reason=reason,
                    status=ActualStatus.SUBMITTED if pending else ActualStatus.ACCEPTED,
                    department=owner,
                    submitted_by=submitter,
                    submitted_at=submitted,
                    decided_by=None if pending else reviewer,
                    decided_at=None if pending else submitted + dt.timedelta(days=2, hours=4),
                )
            )
    # One correction: a cumulative figure that went down, with the reason written down.
    for actual in actuals:
        if actual.indicator.code == "A-06" and actual.month == 6:
            actual.value -= Decimal(12)
            actual.note = "5월 실적 중 중복 집계 12건 정정"
    Actual.objects.bulk_create(actuals)
    return len(actuals)


WRITEUPS = {
    "Q-02": [
        ("출산·양육 원스톱 지원", "출생신고부터 출산지원금, 양육수당까지 한 번에 신청하는 원스톱 창구 운영."),
        (
            "출산·양육 원스톱 지원과 아빠 육아 학교",
            "원스톱 창구(접수 1,240건)와 함께 아빠 육아 학교 12회 운영, 참여 가정 만족도 94점.",
        ),
    ],
    "Q-11": [("국방산업 클러스터 조성", "국방산단 입주 기업 협의체 구성, 국방 R&D 과제 3건 공동 유치.")],
    "Q-15": [("도-시군 협업 과제 추진", "충남도와 딸기산업 엑스포 공동 준비단 운영, 협업 회의 월 1회.")],
}
CONSULTING = {
    "Q-02": [
        (
            dt.date(2024, 6, 12),
            "충남연구원 박OO 연구위원",
            "성과 지표를 정량화(참여 가구 수, 만족도)할 것.",
            "참여 가구 통계 추가",
        ),
        (
            dt.date(2024, 9, 3),
            "한국지방행정연구원 이OO 박사",
            "타 시군과 차별되는 점을 앞부분에 배치.",
            "보고서 구성 변경",
        ),
    ],
    "Q-11": [(dt.date(2024, 8, 21), "건양대 국방공학과 김OO 교수", "기업 유치 실적과 연계한 파급효과 제시.", "")],
    "Q-08": [(dt.date(2024, 7, 10), "행정안전부 적극행정 컨설턴트", "주민 체감 사례 위주로 정리.", "사례 2건 추가")],
}


def _load_qualitative(evaluation_year: EvaluationYear, indicators: dict[str, Indicator]) -> None:
    checklist = evaluation_year.qualitative_checklist
    for code, indicator in indicators.items():
        if indicator.is_quantitative:
            continue
        owner = indicator.departments.all()[0]
        author = _person(owner, Role.STAFF, Role.MANAGER)
        versions = WRITEUPS.get(code) or [(indicator.name, f"{indicator.name} 추진 경과와 성과를 정리했습니다.")]
        for number, (title, body) in enumerate(versions, start=1):
            WriteupVersion.objects.create(
                indicator=indicator,
                version=number,
                title=title,
                body=body,
                author=author,
                created_at=dt.datetime(YEAR, 6 + number, 15, 14, tzinfo=SEOUL),
            )
        for held_on, expert, advice, follow_up in CONSULTING.get(code, []):
            ConsultingEntry.objects.create(
                indicator=indicator,
                held_on=held_on,
                expert=expert,
                advice=advice,
                follow_up=follow_up,
                created_by=author,
                created_at=dt.datetime.combine(held_on, dt.time(17), tzinfo=SEOUL),
            )
        submitted = code in QUALITATIVE_SUBMITTED
        labels = checklist if submitted else checklist[:2]
        for label in labels:
            ChecklistCheck.objects.create(
                indicator=indicator,
                label=label,
                checked_by=author,
                checked_at=dt.datetime(YEAR, 10, 20, 11, tzinfo=SEOUL),
            )
        if submitted:
            Indicator.objects.filter(pk=indicator.pk).update(
                submitted_at=dt.datetime(YEAR, 10, 28, 16, tzinfo=SEOUL), submitted_by=author
            )


def _load_peers(actor: Any) -> None:
    from hwallyu.province.models import PeerResult

    if PeerResult.objects.filter(year__in=list(PEERS)).exists():
        return
    rows: list[PeerRow] = []
    n = 0
    for year, groups in PEERS.items():
        for group, places in groups.items():
            for rank, (place, score) in enumerate(places, start=1):
                n += 1
                rows.append(PeerRow(n, year, place, group, Decimal(str(score)), rank))
    services.peers_import(rows=rows, actor=actor, at=dt.datetime(2024, 4, 30, 10, tzinfo=SEOUL))
