"""Demo data: the seed's 2024 plan of the planning office (기획감사실) — goal, five major tasks,
their projects and monthly schedules, and the budget statement of part III as the seed shows it
(including its two inconsistencies, kept as entered)."""

from __future__ import annotations

import logging
from typing import Any

from hwallyu.org import selectors as org
from hwallyu.workplan.exchange import create_from_document
from hwallyu.workplan.models import WorkPlan

log = logging.getLogger(__name__)
YEAR = 2024
M = 1_000_000  # won per 백만원


def planning_office() -> Any:
    return (
        org.departments().filter(is_planning_office=True).first() or org.departments().filter(name="기획감사실").first()
    )


def _months(months: list[int], note: str = "", notes: dict[int, str] | None = None) -> list[dict[str, Any]]:
    notes = notes or {}
    return [{"month": m, "note": notes.get(m, note)} for m in months]


def seed_document(code: str, teams: set[str]) -> dict[str, Any]:
    def team(name: str) -> str | None:
        return name if name in teams else None

    def project(number: int, title: str, months: list[dict[str, Any]], progress: int, **extra: Any) -> dict[str, Any]:
        return {"number": number, "title": title, "department": code, "progress": progress, "schedule": months, **extra}

    tasks = [
        {
            "number": 1,
            "title": "‘일 잘하는 논산’ 만드는 시정환류 체계 내실화",
            "department": code,
            "team": team("혁신기획팀"),
            "aims": [
                "지시사항 및 역점사업 추진현황을 빈틈없이 파악할 수 있는 환류체계 구축",
                "환류체계를 토대로 민선8기 정책 실행력 제고 및 성과창출 뿌리 확산",
            ],
            "overview": (
                "❍ 지시사항 처리·점검·관리로 현안 실행력 제고\n"
                "  - 지시사항 정리 및 해당부서 공유(당일, 기획감사실) ➠ 3일 이내 우선보고 및 처리결과 도출(담당부서)"
                " ➠ 처리결과 관리 및 분기별 점검(기획감사실) ➠ 지시사항 실행력 제고 및 빈틈없는 행정 추진(전 부서)\n"
                "❍ ‘주요업무·공약사업’ 추진상황 ‘심사분석’을 통한 실행력 강화\n"
                "  - 주요업무, 공약사업 중심 역점사업 선별 → 심사분석 대상 목록화\n"
                "  - 수시·분기별 심사분석으로 추진상황 및 부진사유 분석 → 합리적 대안 도출\n"
                "  - 역점사업 실행력 제고로 ‘일 잘하는 논산’ 조성 및 성과 창출"
            ),
            "plan": "지시사항은 연중 수시 관리하고 분기별로 총괄보고, 역점사업은 "
            "분기별 심사분석, 주요업무는 연 2회 보고",
            "expected_effects": [
                "단발성 경과보고를 탈피한 체계화된 시정환류 시스템 확립",
                "정책환경 및 지역사회 현실에 부합하는 시정과제 점검 기반 마련",
            ],
            "projects": [
                project(
                    1,
                    "지시사항 관리",
                    _months(
                        list(range(1, 13)),
                        "수시",
                        {3: "1분기 총괄보고", 6: "2분기 총괄보고", 9: "3분기 총괄보고", 12: "4분기 총괄보고"},
                    ),
                    100,
                    team=team("혁신기획팀"),
                    schedule_note="지시·당부 등 연중 수시 (분기별 총괄보고)",
                    description=(
                        "간부회의 등 지시사항 정리·공유(당일) → 3일 이내 우선보고 → 처리결과 관리 및 분기별 점검"
                    ),
                ),
                project(
                    2,
                    "역점사업 심사분석",
                    _months([3, 6, 9, 12], "분기 심사분석"),
                    100,
                    team=team("혁신기획팀"),
                    description=(
                        "주요업무·공약사업 중심 역점사업 선별, 수시·분기별 심사분석으로 부진사유 분석 및 대안 도출"
                    ),
                ),
                project(
                    3,
                    "주요업무 계획·추진상황 보고",
                    _months([1, 7], notes={1: "주요업무계획 보고", 7: "상반기 추진상황 보고"}),
                    100,
                    team=team("혁신기획팀"),
                ),
            ],
        },
        {
            "number": 2,
            "title": "공공기관 유치전략 마련 및 홍보 강화",
            "department": code,
            "team": team("혁신기획팀"),
            "aims": [
                "인구감소에 따른 소멸 위기 극복 및 지속가능한 지역발전 기반 구축",
                "지역 특성을 살린 ‘국방’ 관련 공공기관 유치(신설·이전)를 위한 홍보 강화",
            ],
            "overview": (
                "지역여건\n"
                "❍ 900만 장병을 양성한 안보 중심축, 애국시민이 사는 가치 높은 지역\n"
                "❍ 육군훈련소 비롯 인근 3군본부, 방위사업청 등 풍부한 국방인프라 보유\n"
                "❍ 논산 국방산단 조성, 군수기업 투자유치 등 국방군수산업 메카로 도약\n"
                "추진전략\n"
                "❍ 신설 및 2차 수도권 이전 예상 ‘국방’ 관련 공공기관 유치 집중\n"
                "  - (유치현황) 국방대학교(′07년 이전확정), 국방미래기술센터(′23년 신설확정)\n"
                "  - (유치대상) [신설] 국방AI센터, 국방MRO산업육성센터 / [이전] 한국국방연구원, 국방전직교육원, "
                "전력지원체계연구센터, 국방신속획득기술연구원, 국방기술진흥연구소, 방위사업교육원\n"
                "❍ 시시각각 변화하는 공공기관 이전 관련 주요 이슈 및 동향 관리 강화\n"
                "  - 공공기관 이전 관련 기본계획 발표 총선(4. 10.) 이후로 연기\n"
                "  - 이전대상 기관 300~최대500개소 예상, 수시로 변하는 동향 수집·분석\n"
                "※ (′24. 1. 2.) 충남도 중점 유치 공공기관 44개소로 확대 조정(기존 34개소)"
            ),
            "plan": "홍보: 영상제작(2~3월) → 광고의뢰 등(4월) → 광고시행(5월), 서울역 앞 옥외전광판 송출",
            "expected_effects": [],
            "projects": [
                project(
                    1,
                    "국방 공공기관 유치 홍보(서울역 옥외전광판 영상 송출)",
                    _months([2, 3, 4, 5], notes={2: "영상제작", 3: "영상제작", 4: "광고의뢰", 5: "광고시행"}),
                    100,
                    team=team("혁신기획팀"),
                    schedule_note="2024. 2.~5. / 예산 20백만원(영상제작 5 + 광고비용 15)",
                    description="충남도 제작영상(′23. 12.-국방수도 충남)과 연계되는 영상으로 제작",
                ),
                project(
                    2,
                    "공공기관 이전 동향 수집·분석",
                    _months(list(range(1, 13)), "수시"),
                    90,
                    team=team("혁신기획팀"),
                    schedule_note="연중 수시",
                ),
            ],
        },
        {
            "number": 3,
            "title": "2027 논산세계딸기산업엑스포 추진",
            "department": code,
            "team": team("엑스포 TF팀"),
            "aims": [
                "2024년은 기획재정부 국제행사 승인 준비의 해! 평가 항목별 준비 및 대응 총력",
                "기본계획 제출(‘24.5월) → 충남도(’24.7월) → 농식품부(‘24.11월) → 기획재정부 심사 → 승인(’25.8월)",
            ],
            "overview": (
                "엑스포 개요\n"
                "❍ 기간 : 2027. 2월 ~ 3월 중(30일 이내)\n"
                "❍ 장소 : 시민가족공원, 시민운동장, 딸기향테마공원 일원\n"
                "❍ 사업비 : 20,000백만원(국6,000, 도4,000, 시4,000, 수익사업6,000)\n"
                "❍ 주요내용 : 주제관, 글로벌관, 로컬‧체험관, 산업‧국제학술대회 등\n"
                "❍ 주최‧주관 : 충청남도‧논산시 / 가칭)2027 논산세계딸기산업엑스포 조직위원회\n"
                "❍ 목표방문객 : 약150만명 / 외국인 관람객 9만명 이상"
            ),
            "plan": "협업체계 구축, 학술대회 네트워크 구축, 시민 공감대 형성, 대외 홍보",
            "expected_effects": [],
            "projects": [
                project(
                    1,
                    "국제행사 승인 준비(기본계획 수립·제출)",
                    _months([5, 7, 11], notes={5: "기본계획 제출", 7: "충남도", 11: "농식품부"}),
                    100,
                    team=team("엑스포 TF팀"),
                    schedule_note="기획재정부 심사 → 승인(’25.8월)",
                ),
                project(
                    2,
                    "엑스포 개최 협업체계 구축",
                    _months([3, 4, 5, 6, 9], "협의"),
                    80,
                    team=team("엑스포 TF팀"),
                    description=(
                        "충남도 협약(기본계획 제출 이후), 농식품부·기재부·KIEP 대응, 성심당·파리바게트(SPC)·신세계푸드 "
                        "참여의향서·업무협약, 건양대 시설 활용, 한국관광공사 대전지사·대전관광공사 협약"
                    ),
                ),
                project(
                    3,
                    "학술대회 개최 네트워크 구축",
                    _months([4, 8, 10], "협의"),
                    70,
                    team=team("엑스포 TF팀"),
                    description=(
                        "ISC 공동 학술회의 사전 협의, 국제딸기심포지움(′25 베이징) 네트워크, 한국원예학회 회의 유치"
                    ),
                ),
                project(
                    4,
                    "시민 공감대 형성 및 개최 의지 확산",
                    _months(
                        [2, 3, 5, 6],
                        notes={
                            2: "딸기축제 연계 설명회",
                            3: "찾아가는 설명회",
                            5: "유치기원 퍼포먼스",
                            6: "유치기원 퍼포먼스",
                        },
                    ),
                    100,
                    team=team("엑스포 TF팀"),
                ),
                project(
                    5,
                    "딸기산업엑스포 대외 홍보",
                    _months([3, 6, 9, 11], notes={3: "수원KT 논산딸기day"}),
                    75,
                    team=team("엑스포 TF팀"),
                    description=(
                        "수원KT 농구와 함께하는 논산딸기day(2024. 3. 3. 또는 3. "
                        "9.), 다큐멘터리 후원, 홍보부스, 리플릿·홍보영상"
                    ),
                ),
            ],
        },
        {
            "number": 4,
            "title": "시민 신뢰 회복을 위한 청렴도 향상",
            "department": code,
            "team": team("감사팀"),
            "aims": ["내‧외부 청렴체감도 향상을 위한 시책추진으로 청렴 문화 확산 및 시민 신뢰 회복"],
            "overview": (
                "※ 종합청렴도 : 청렴체감도(내‧외부) + 청렴노력도 – 부패실태\n"
                "외부체감도 향상 추진: 행정만족도 조사 실시(연중), 시민감사관 재구성‧운영\n"
                "내부체감도 향상 추진: 청렴톡(익명상담, 신고) 운영, 청렴 방송(주 1회 릴레이), 청렴길라잡이 제작‧배부\n"
                "종합청렴도: 2021년 4등급, 2022년 3등급, 2023년 4등급"
            ),
            "plan": "",
            "expected_effects": ["적극적이고 도전적 청렴 시책 추진으로 시민신뢰 회복 및 청렴도 향상"],
            "projects": [
                project(1, "행정만족도 조사 실시", _months(list(range(1, 13)), "연중"), 100, team=team("감사팀")),
                project(2, "시민감사관 재구성·운영", _months([2, 3, 6, 9, 12]), 80, team=team("감사팀")),
                project(3, "청렴톡(익명상담·신고) 운영", _months(list(range(1, 13)), "연중"), 100, team=team("감사팀")),
                project(
                    4, "청렴 방송 운영(주 1회 릴레이)", _months(list(range(1, 13)), "주 1회"), 100, team=team("감사팀")
                ),
                project(
                    5,
                    "신규공직자 청렴길라잡이 제작·배부",
                    _months([3, 4], notes={3: "제작", 4: "배부"}),
                    60,
                    team=team("감사팀"),
                ),
            ],
        },
        {
            "number": 5,
            "title": "내실있는 성과관리 운영으로 외부평가 대응력 강화",
            "department": code,
            "team": team("성과관리팀"),
            "aims": [
                "외부평가 대응력 강화를 위한 부서 성과지표와의 연계 운영",
                "부서 성과가 논산시 전체의 성과로 이어지는 내실있는 성과관리 체계 구축",
            ],
            "overview": (
                "❍ 부서별 성과관리: 59개 부서(본청36, 직속기관7, 사업소1, "
                "읍면동15), 지표달성도·고객인식도·공통과제 평가\n"
                "❍ 위임사무 시군평가: 15개 시․군(시부 8개, 군부 7개), 평가지표 90개(정량 75개, 정성 15개)"
            ),
            "plan": (
                "2024. 2.: 성과관리 계획 및 시군평가 대응계획 수립\n"
                "2024. 4.: 분기별 추진실적 점검, 시군평가 준비상황 보고회\n"
                "2024. 12.: 시군평가 최종실적 제출(정성 10월, 정량 12월)\n"
                "2025. 1.: 최종평가(성과관리 1~2월, 시군평가 1~4월)"
            ),
            "expected_effects": ["외부평가와 연계한 성과관리 체계 구축․운영으로 가시적인 시정 성과 창출"],
            "projects": [
                project(
                    1,
                    "부서별 성과관리",
                    _months([2, 4, 7, 10], notes={2: "계획 수립", 4: "1분기 점검", 7: "2분기 점검", 10: "3분기 점검"}),
                    100,
                    team=team("성과관리팀"),
                ),
                project(
                    2,
                    "위임사무 시군평가 대응",
                    _months(
                        [2, 4, 5, 6, 7, 8, 9, 10, 11, 12],
                        "추진상황·부진지표 보고회",
                        {2: "대응계획 수립", 4: "준비상황 보고회", 10: "정성 실적 제출", 12: "정량 실적 제출"},
                    ),
                    95,
                    team=team("성과관리팀"),
                ),
            ],
        },
    ]
    return {
        "year": YEAR,
        "title": "2024년 주요업무계획 (기획감사실)",
        "context": (
            "❍ 시민 행복을 넘어 ‘시민 감동’ 시대로 나아가기 위한 가시적 성과 창출에 "
            "행정 역량을 집중해야 할 중차대한 시기\n"
            "❍ 정부 및 충청남도 주요 현안과 과제에 대한 시정 전반의 종합 기획, 조정으로 정책 실행력 강화 필요\n"
            "❍ 경제적, 사회적 어려움 속 공정·책임에 기반한 시민에게 신뢰받는 청렴한 공직 문화 조성 요구 증대"
        ),
        "goals": [{"department": code, "text": "민선8기 정책 실행력 제고 및 성과 창출", "tasks": tasks}],
        "budget": {
            "unit": "원",
            # the seed's header row as printed: 2건, 총사업비 99, 계 92, 시비 99 (계 ≠ 시비: kept)
            "header": {
                "count": 2,
                "total_cost": 99 * M,
                "this_year": 92 * M,
                "national": None,
                "provincial": None,
                "city": 99 * M,
                "other": None,
                "later": None,
            },
            "lines": [
                {
                    "name": "2027 논산세계딸기산업엑스포 승인 준비 (세미나 개최 및 대외 홍보)",
                    "project": "국제행사 승인 준비(기본계획 수립·제출)",
                    "total_cost": 92 * M,
                    "this_year": 92 * M,
                    "national": None,
                    "provincial": None,
                    "city": 92 * M,
                    "other": None,
                    "later": None,
                    "executed": 81 * M,
                },
                {
                    # 계 "-" against 시비 7 in the seed: kept as entered
                    "name": "행정만족도 조사 참여자 인센티브 지급",
                    "project": "행정만족도 조사 실시",
                    "total_cost": 7 * M,
                    "this_year": None,
                    "national": None,
                    "provincial": None,
                    "city": 7 * M,
                    "other": None,
                    "later": None,
                    "executed": 6 * M,
                },
            ],
        },
    }


def load() -> None:
    if WorkPlan.objects.filter(year=YEAR).exists():
        return
    office = planning_office()
    if office is None:
        log.warning("업무계획 데모: 기획감사실 부서가 없어 건너뜁니다.")
        return
    teams = set(org.teams(office).values_list("name", flat=True))
    create_from_document(seed_document(office.code, teams), actor=None, filename="2024년 주요업무계획(기획감사실)")
