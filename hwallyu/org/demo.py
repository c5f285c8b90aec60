"""The demo city: 논산시 (충청남도) with its 59 departments, the planning office's teams and demo accounts.

Idempotent: everything is keyed by a stable code or username (``update_or_create``), so running it
twice creates nothing new.  Passwords are set only when an account is first made, so a password
changed later survives a reload.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from hwallyu.core.audit import log_action
from hwallyu.org.models import Bureau, City, Department, DepartmentKind, EvaluationGroup, Person, Role, Team

DEMO_PASSWORD = "hwallyu-demo"
EMAIL_DOMAIN = "nonsan.example"  # reserved domain (RFC 2606): demo mail never reaches a real mailbox

CITY = ("논산시", "충청남도")

BUREAUS = [
    ("B01", "자치행정국"),
    ("B02", "문화관광국"),
    ("B03", "보건복지국"),
    ("B04", "경제산업국"),
    ("B05", "농업농촌국"),
    ("B06", "안전건설국"),
]

SUPPORT, BUSINESS, AFFILIATED, LOCAL = "G1", "G2", "G3", "G4"
GROUPS = [
    (SUPPORT, "본청 지원부서"),
    (BUSINESS, "본청 사업부서"),
    (AFFILIATED, "직속기관·사업소"),
    (LOCAL, "읍면동"),
]

MAIN, AFF, BIZ, LOC = DepartmentKind.MAIN, DepartmentKind.AFFILIATED, DepartmentKind.BUSINESS, DepartmentKind.LOCAL

# (name, kind, bureau code or None, group code); codes D001… follow this order and never change.
DEPARTMENTS: list[tuple[str, str, str | None, str]] = [
    # 본청 36
    ("기획감사실", MAIN, None, SUPPORT),
    ("홍보협력실", MAIN, None, SUPPORT),
    ("행정지원과", MAIN, "B01", SUPPORT),
    ("미래전략과", MAIN, "B01", BUSINESS),
    ("재무과", MAIN, "B01", SUPPORT),
    ("세정과", MAIN, "B01", SUPPORT),
    ("회계과", MAIN, "B01", SUPPORT),
    ("민원과", MAIN, "B01", SUPPORT),
    ("정보통신과", MAIN, "B01", SUPPORT),
    ("인구청년과", MAIN, "B01", BUSINESS),
    ("문화체육과", MAIN, "B02", BUSINESS),
    ("관광진흥과", MAIN, "B02", BUSINESS),
    ("교육청소년과", MAIN, "B02", BUSINESS),
    ("사회복지과", MAIN, "B03", BUSINESS),
    ("노인장애인과", MAIN, "B03", BUSINESS),
    ("여성가족과", MAIN, "B03", BUSINESS),
    ("아동보육과", MAIN, "B03", BUSINESS),
    ("주민복지과", MAIN, "B03", BUSINESS),
    ("일자리경제과", MAIN, "B04", BUSINESS),
    ("투자유치과", MAIN, "B04", BUSINESS),
    ("국방산업과", MAIN, "B04", BUSINESS),
    ("기업지원과", MAIN, "B04", BUSINESS),
    ("에너지정책과", MAIN, "B04", BUSINESS),
    ("농업정책과", MAIN, "B05", BUSINESS),
    ("딸기산업과", MAIN, "B05", BUSINESS),
    ("축산과", MAIN, "B05", BUSINESS),
    ("농식품유통과", MAIN, "B05", BUSINESS),
    ("농촌활력과", MAIN, "B05", BUSINESS),
    ("산림녹지과", MAIN, "B05", BUSINESS),
    ("안전총괄과", MAIN, "B06", BUSINESS),
    ("건설과", MAIN, "B06", BUSINESS),
    ("도시과", MAIN, "B06", BUSINESS),
    ("건축과", MAIN, "B06", BUSINESS),
    ("토지관리과", MAIN, "B06", BUSINESS),
    ("교통과", MAIN, "B06", BUSINESS),
    ("환경과", MAIN, "B06", BUSINESS),
    # 직속기관 7
    ("보건소", AFF, None, AFFILIATED),
    ("농업기술센터", AFF, None, AFFILIATED),
    ("시립도서관", AFF, None, AFFILIATED),
    ("평생학습관", AFF, None, AFFILIATED),
    ("문화예술회관", AFF, None, AFFILIATED),
    ("청소년수련관", AFF, None, AFFILIATED),
    ("자원순환센터", AFF, None, AFFILIATED),
    # 사업소 1
    ("상하수도사업소", BIZ, None, AFFILIATED),
    # 읍면동 15 (Nonsan's real ones)
    ("강경읍", LOC, None, LOCAL),
    ("연무읍", LOC, None, LOCAL),
    ("성동면", LOC, None, LOCAL),
    ("광석면", LOC, None, LOCAL),
    ("노성면", LOC, None, LOCAL),
    ("상월면", LOC, None, LOCAL),
    ("부적면", LOC, None, LOCAL),
    ("연산면", LOC, None, LOCAL),
    ("벌곡면", LOC, None, LOCAL),
    ("양촌면", LOC, None, LOCAL),
    ("가야곡면", LOC, None, LOCAL),
    ("은진면", LOC, None, LOCAL),
    ("채운면", LOC, None, LOCAL),
    ("취암동", LOC, None, LOCAL),
    ("부창동", LOC, None, LOCAL),
]

PLANNING_OFFICE = "기획감사실"

TEAMS: dict[str, list[str]] = {
    "기획감사실": ["혁신기획팀", "엑스포 TF팀", "감사팀", "성과관리팀"],
    "행정지원과": ["총무팀", "인사팀"],
    "미래전략과": ["전략기획팀", "국방정책팀"],
    "민원과": ["민원행정팀", "민원봉사팀"],
    "딸기산업과": ["딸기정책팀", "딸기유통팀"],
    "관광진흥과": ["관광정책팀", "축제팀"],
    "보건소": ["보건행정팀", "건강증진팀"],
    "강경읍": ["행정민원팀", "맞춤형복지팀"],
}

# (username, name, department, team, position, role, superuser)
ACCOUNTS: list[tuple[str, str, str, str | None, str, str, bool]] = [
    ("admin", "시스템관리자", "정보통신과", None, "시스템 관리자", Role.ADMIN, True),
    ("planner", "김기획", "기획감사실", "혁신기획팀", "주무관", Role.PLANNING, False),
    ("auditor", "이감사", "기획감사실", "감사팀", "감사주무관", Role.AUDIT, False),
    ("manager", "박전략", "미래전략과", None, "미래전략과장", Role.MANAGER, False),
    ("staff", "최담당", "미래전략과", "전략기획팀", "주무관", Role.STAFF, False),
    ("exec", "정부시장", "행정지원과", None, "부시장", Role.EXECUTIVE, False),
    # More people, so that notices to departments have recipients.
    ("perf", "한성과", "기획감사실", "성과관리팀", "주무관", Role.PLANNING, False),
    ("expo", "윤엑스포", "기획감사실", "엑스포 TF팀", "주무관", Role.PLANNING, False),
    ("plan_head", "서실장", "기획감사실", None, "기획감사실장", Role.PLANNING, False),
    ("defense", "장국방", "미래전략과", "국방정책팀", "주무관", Role.STAFF, False),
    ("admin_mgr", "오행정", "행정지원과", None, "행정지원과장", Role.MANAGER, False),
    ("admin_staff", "강총무", "행정지원과", "총무팀", "주무관", Role.STAFF, False),
    ("civil_mgr", "조민원", "민원과", None, "민원과장", Role.MANAGER, False),
    ("civil_staff", "백민원", "민원과", "민원봉사팀", "주무관", Role.STAFF, False),
    ("berry_mgr", "송딸기", "딸기산업과", None, "딸기산업과장", Role.MANAGER, False),
    ("berry_staff", "임유통", "딸기산업과", "딸기유통팀", "주무관", Role.STAFF, False),
    ("tour_mgr", "노관광", "관광진흥과", None, "관광진흥과장", Role.MANAGER, False),
    ("tour_staff", "하축제", "관광진흥과", "축제팀", "주무관", Role.STAFF, False),
    ("health_mgr", "문보건", "보건소", None, "보건행정과장", Role.MANAGER, False),
    ("health_staff", "양건강", "보건소", "건강증진팀", "주무관", Role.STAFF, False),
    ("gg_mgr", "권강경", "강경읍", None, "강경읍장", Role.MANAGER, False),
    ("gg_staff", "유복지", "강경읍", "맞춤형복지팀", "주무관", Role.STAFF, False),
]


def department_code(index: int) -> str:
    return f"D{index + 1:03d}"


def load() -> None:
    """Create or refresh the demo organisation."""
    created: list[str] = []

    city = City.load()
    if (city.name, city.province) != CITY:
        city.name, city.province = CITY
        city.save(update_fields=["name", "province", "updated_at"])

    bureaus = {}
    for order, (code, name) in enumerate(BUREAUS, start=1):
        bureaus[code], made = Bureau.objects.update_or_create(
            code=code, defaults={"name": name, "order": order, "active": True}
        )
        if made:
            created.append(name)
    groups = {}
    for order, (code, name) in enumerate(GROUPS, start=1):
        groups[code], made = EvaluationGroup.objects.update_or_create(
            code=code, defaults={"name": name, "order": order}
        )
        if made:
            created.append(name)

    departments: dict[str, Department] = {}
    for index, (name, kind, bureau, group) in enumerate(DEPARTMENTS):
        departments[name], made = Department.objects.update_or_create(
            code=department_code(index),
            defaults={
                "name": name,
                "kind": kind,
                "bureau": bureaus[bureau] if bureau else None,
                "evaluation_group": groups[group],
                "order": index + 1,
                "active": True,
                "is_planning_office": name == PLANNING_OFFICE,
            },
        )
        if made:
            created.append(name)

    teams: dict[tuple[str, str], Team] = {}
    for department_name, team_names in TEAMS.items():
        for order, team_name in enumerate(team_names, start=1):
            team, made = Team.objects.update_or_create(
                department=departments[department_name],
                name=team_name,
                defaults={"order": order, "active": True},
            )
            teams[(department_name, team_name)] = team
            if made:
                created.append(f"{department_name} {team_name}")

    for username, full_name, department_name, account_team, position, role, superuser in ACCOUNTS:
        user, made = _account(username, full_name, superuser=superuser)
        Person.objects.update_or_create(
            user=user,
            defaults={
                "department": departments[department_name],
                "team": teams[(department_name, account_team)] if account_team else None,
                "position": position,
                "role": role,
            },
        )
        if made:
            created.append(username)

    if created:
        log_action(
            actor=None,
            action="org.demo_load",
            target_type="org.demo",
            target_repr="데모 도시(논산시)",
            after={"created": len(created), "departments": len(DEPARTMENTS), "accounts": len(ACCOUNTS)},
        )


def _account(username: str, full_name: str, *, superuser: bool) -> tuple[Any, bool]:
    User = get_user_model()
    user, made = User.objects.update_or_create(
        username=username,
        defaults={
            "first_name": full_name,
            "email": f"{username}@{EMAIL_DOMAIN}",
            "is_active": True,
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if made:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, made
