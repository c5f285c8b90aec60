"""Benchmark organisation: ``scale.departments`` departments in bureaus and evaluation groups, teams, and
``scale.staff`` people (one manager per department, the rest staff), plus the fixed bench accounts.

All accounts share one password hash (hashed once: hashing 3,000 passwords would take minutes and
measure nothing)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from hwallyu.core.benchdata import BENCH_ACCOUNTS, BENCH_PASSWORD, BenchContext, BenchPage
from hwallyu.org.models import Bureau, City, Department, DepartmentKind, EvaluationGroup, Person, Role, Team

BUREAUS = [
    "자치행정국",
    "문화관광국",
    "보건복지국",
    "경제산업국",
    "농업농촌국",
    "안전건설국",
    "도시개발국",
    "환경녹지국",
]
GROUPS = [("G1", "본청 지원부서"), ("G2", "본청 사업부서"), ("G3", "직속기관·사업소"), ("G4", "읍면동")]
MAIN_NAMES = [
    "기획감사실",
    "홍보협력실",
    "행정지원과",
    "미래전략과",
    "재무과",
    "세정과",
    "회계과",
    "민원과",
    "정보통신과",
    "인구청년과",
    "문화체육과",
    "관광진흥과",
    "교육청소년과",
    "사회복지과",
    "노인장애인과",
    "여성가족과",
    "아동보육과",
    "주민복지과",
    "일자리경제과",
    "투자유치과",
    "국방산업과",
    "기업지원과",
    "에너지정책과",
    "농업정책과",
    "딸기산업과",
    "축산과",
    "농식품유통과",
    "농촌활력과",
    "산림녹지과",
    "안전총괄과",
    "건설과",
    "도시과",
    "건축과",
    "토지관리과",
    "교통과",
    "환경과",
    "자치분권과",
    "법무담당관",
    "소통담당관",
    "청년정책과",
    "스마트도시과",
    "공원녹지과",
    "도로과",
    "하천과",
    "주택과",
    "문화예술과",
    "체육진흥과",
    "위생과",
    "식품안전과",
    "보건정책과",
    "건강증진과",
    "감염병관리과",
    "동물자원과",
    "친환경농업과",
    "먹거리정책과",
    "기후에너지과",
    "자원순환과",
    "교통정책과",
    "대중교통과",
    "도시재생과",
    "지적과",
    "징수과",
    "평생교육과",
    "관광마케팅과",
]
AFFILIATED_NAMES = [
    "보건소",
    "농업기술센터",
    "시립도서관",
    "평생학습관",
    "문화예술회관",
    "청소년수련관",
    "자원순환센터",
    "차량등록사업소",
    "상하수도사업소",
    "공원관리사업소",
]
LOCAL_PREFIXES = [
    "강경",
    "연무",
    "성동",
    "광석",
    "노성",
    "상월",
    "부적",
    "연산",
    "벌곡",
    "양촌",
    "가야곡",
    "은진",
    "채운",
    "취암",
    "부창",
    "중앙",
    "동부",
    "서부",
    "남부",
    "북부",
    "신흥",
    "문화",
    "대화",
    "반월",
    "화지",
    "내동",
    "지산",
    "등화",
    "관촉",
    "덕지",
]
TEAM_NAMES = ["총괄팀", "기획팀", "운영팀", "지원팀"]
SURNAMES = "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진지엄채원천방공현함"
GIVEN = [
    "민준",
    "서연",
    "도윤",
    "서윤",
    "예준",
    "지우",
    "시우",
    "하은",
    "주원",
    "하윤",
    "지호",
    "지유",
    "준서",
    "서현",
    "현우",
    "민서",
    "건우",
    "수아",
    "우진",
    "지민",
    "선우",
    "채원",
    "연우",
    "윤서",
    "유준",
    "다은",
    "정우",
    "예은",
    "승우",
    "수빈",
]


def department_names(count: int) -> list[tuple[str, str, str]]:
    """(name, kind, group code) for ``count`` departments: 본청 first, then 직속기관·사업소, then 읍면동."""
    local_count = max(1, count // 4)
    affiliated_count = min(len(AFFILIATED_NAMES), max(1, count // 12))
    main_count = count - local_count - affiliated_count
    names: list[tuple[str, str, str]] = []
    for i in range(main_count):
        base = MAIN_NAMES[i % len(MAIN_NAMES)]
        name = base if i < len(MAIN_NAMES) else f"{base[:-1]}{i // len(MAIN_NAMES) + 1}{base[-1]}"
        names.append((name, DepartmentKind.MAIN, "G1" if i % 3 == 0 else "G2"))
    for i in range(affiliated_count):
        name = AFFILIATED_NAMES[i]
        kind = DepartmentKind.BUSINESS if name.endswith("사업소") else DepartmentKind.AFFILIATED
        names.append((name, kind, "G3"))
    for i in range(local_count):
        prefix = LOCAL_PREFIXES[i % len(LOCAL_PREFIXES)]
        suffix = "읍" if i < 2 else ("면" if i < 13 else "동")
        round_ = i // len(LOCAL_PREFIXES)
        names.append((f"{prefix}{round_ + 1 if round_ else ''}{suffix}", DepartmentKind.LOCAL, "G4"))
    return names


def generate(ctx: BenchContext) -> None:
    rng = ctx.rng("org")
    scale = ctx.scale
    city = City.load()
    city.name, city.province = "벤치시", "충청남도"
    city.save(update_fields=["name", "province", "updated_at"])
    bureaus = Bureau.objects.bulk_create(
        [Bureau(code=f"B{i + 1:02d}", name=name, order=i + 1) for i, name in enumerate(BUREAUS)]
    )
    groups = {
        code: g
        for code, g in zip(
            [c for c, _ in GROUPS],
            EvaluationGroup.objects.bulk_create(
                [EvaluationGroup(code=c, name=n, order=i + 1) for i, (c, n) in enumerate(GROUPS)]
            ),
            strict=True,
        )
    }
    Department.objects.bulk_create(
        [
            Department(
                code=f"D{i + 1:03d}",
                name=name,
                kind=kind,
                evaluation_group=groups[group],
                bureau=bureaus[i % len(bureaus)] if kind == DepartmentKind.MAIN and i >= 2 else None,
                order=i + 1,
                is_planning_office=(i == 0),
            )
            for i, (name, kind, group) in enumerate(department_names(scale.departments))
        ]
    )
    departments = list(Department.objects.order_by("order"))
    Team.objects.bulk_create(
        [
            Team(department=d, name=("감사팀" if d.is_planning_office and j == 1 else name), order=j + 1)
            for d in departments
            for j, name in enumerate(TEAM_NAMES[: 4 if d.is_planning_office else 2])
        ]
    )
    teams: dict[int, list[Team]] = {}
    for team in Team.objects.order_by("pk"):
        teams.setdefault(team.department_id, []).append(team)

    User = get_user_model()
    password = make_password(BENCH_PASSWORD)
    office, dept2 = departments[0], departments[1]
    fixed = [
        (BENCH_ACCOUNTS["admin"], "벤치관리자", office, Role.ADMIN, True),
        (BENCH_ACCOUNTS["planning"], "벤치기획", office, Role.PLANNING, False),
        (BENCH_ACCOUNTS["audit"], "벤치감사", office, Role.AUDIT, False),
        (BENCH_ACCOUNTS["manager"], "벤치부서장", dept2, Role.MANAGER, False),
        (BENCH_ACCOUNTS["staff"], "벤치담당", dept2, Role.STAFF, False),
        (BENCH_ACCOUNTS["executive"], "벤치간부", office, Role.EXECUTIVE, False),
    ]
    people: list[tuple[str, str, Department, str, bool]] = list(fixed)
    per_department = ctx.spread(scale.staff - len(fixed), departments)
    for d, count in zip(departments, per_department, strict=True):
        for j in range(count):
            role = Role.MANAGER if j == 0 and d != dept2 else Role.STAFF
            if d.is_planning_office and j in (1, 2, 3):
                role = Role.PLANNING
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            people.append((f"u{d.code[1:]}{j:03d}", name, d, role, False))
    with ctx.progress("직원 계정", len(people)) as bar:
        for batch in ctx.batches(people, 1000):
            User.objects.bulk_create(
                [
                    User(
                        username=u,
                        first_name=n,
                        email=f"{u}@bench.example",
                        password=password,
                        is_active=True,
                        is_staff=su,
                        is_superuser=su,
                    )
                    for u, n, _, _, su in batch
                ]
            )
            ids = dict(User.objects.filter(username__in=[p[0] for p in batch]).values_list("username", "pk"))
            Person.objects.bulk_create(
                [
                    Person(
                        user_id=ids[u],
                        department=d,
                        team=(teams[d.pk][k % len(teams[d.pk])] if role == Role.STAFF and teams.get(d.pk) else None),
                        position={"manager": f"{d.name}장"}.get(role, "주무관"),
                        role=role,
                        phone=f"010-{1000 + k % 9000}-{k % 10000:04d}",
                    )
                    for k, (u, _, d, role, _) in enumerate(batch)
                ]
            )
            bar.update(len(batch))


def pages() -> list[BenchPage]:
    from django.urls import reverse

    from hwallyu.org.selectors import department_by_code

    dept = department_by_code("D002")
    return [
        BenchPage("부서 목록", reverse("org:departments")),
        BenchPage("부서 상세", reverse("org:department", args=[dept.pk]) if dept else reverse("org:departments")),
        BenchPage("직원 목록", reverse("org:people")),
        BenchPage("직원 목록(부서장)", reverse("org:people"), role="manager"),
        BenchPage("국", reverse("org:bureaus")),
    ]
