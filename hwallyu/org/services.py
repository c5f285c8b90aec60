"""Writes to the organisation: city, bureaus, evaluation groups, departments, teams, people, import.

Every function is keyword-only, runs in one transaction, checks :data:`org_policy`, validates
(raising ``ValidationError`` with Korean messages, keyed by field where it helps), saves with
``update_fields`` and writes one audit row with the fields before and after.  Departments in use
are deactivated, never deleted; users are deactivated, never deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max, Model, ProtectedError

from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.org import importers
from hwallyu.org.importers import OrgImportError, OrgRow, RowError
from hwallyu.org.models import Bureau, City, Department, DepartmentKind, EvaluationGroup, Person, Role, Team
from hwallyu.org.policies import ASSIGN_ADMIN, MANAGE, org_policy

CITY_FIELDS = ("name", "province")
BUREAU_FIELDS = ("code", "name", "order", "active")
GROUP_FIELDS = ("code", "name", "order")
DEPARTMENT_FIELDS = ("code", "name", "kind", "bureau", "evaluation_group", "order", "active", "is_planning_office")
TEAM_FIELDS = ("name", "order", "active")
PERSON_FIELDS = ("department", "team", "position", "role", "phone")
USER_FIELDS = ("username", "first_name", "email", "is_active")


# --- helpers -------------------------------------------------------------------------


def _apply(obj: Model, changes: Mapping[str, Any], allowed: Iterable[str]) -> list[str]:
    """Set the allowed fields that change; the names of the changed fields."""
    allowed = tuple(allowed)
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"{type(obj).__name__}: unknown fields {sorted(unknown)}")
    changed = []
    for name, value in changes.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _text(value: Any, label: str, *, max_length: int, required: bool = True) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not text:
        raise ValidationError(f"{label}을(를) 입력하세요.")
    if len(text) > max_length:
        raise ValidationError(f"{label}은(는) {max_length}자를 넘을 수 없습니다.")
    return text


def _field_errors(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})


def _next_order(qs: Any) -> int:
    return (qs.aggregate(m=Max("order"))["m"] or 0) + 1


def _next_code(model: type[Bureau] | type[EvaluationGroup], prefix: str, width: int) -> str:
    existing = set(model.objects.values_list("code", flat=True))
    number = model.objects.count() + 1
    while f"{prefix}{number:0{width}d}" in existing:
        number += 1
    return f"{prefix}{number:0{width}d}"


def _log(actor: Any, action: str, obj: Model, before: dict[str, Any], after: dict[str, Any], **kw: Any) -> None:
    b, a = diff(before, after)
    log_action(actor=actor, action=action, target=obj, before=b, after=a, **kw)


# --- city ------------------------------------------------------------------------------


def city_update(*, city: City, actor: Any, name: str, province: str) -> City:
    with transaction.atomic():
        org_policy.check(actor, MANAGE)
        errors = {}
        try:
            name = _text(name, "시·군 이름", max_length=50)
        except ValidationError as exc:
            errors["name"] = exc.messages[0]
        try:
            province = _text(province, "광역자치단체", max_length=50)
        except ValidationError as exc:
            errors["province"] = exc.messages[0]
        _field_errors(errors)
        before = snapshot(city, CITY_FIELDS)
        changed = _apply(city, {"name": name, "province": province}, CITY_FIELDS)
        if changed:
            city.save(update_fields=[*changed, "updated_at"])
            _log(actor, "org.city.update", city, before, snapshot(city, CITY_FIELDS))
    return city


# --- bureaus and evaluation groups -------------------------------------------------------


def _check_named(model: type[Model], *, code: str, name: str, exclude_pk: int | None, what: str) -> None:
    errors = {}
    others = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()  # type: ignore[attr-defined]
    if others.filter(name=name).exists():
        errors["name"] = f"'{name}' {what}이(가) 이미 있습니다."
    if code and others.filter(code=code).exists():
        errors["code"] = f"코드 '{code}'은(는) 이미 쓰이고 있습니다."
    if code and not importers.CODE_RE.match(code):
        errors["code"] = "코드는 영문, 숫자, -, _ 만 쓸 수 있습니다."
    _field_errors(errors)


def bureau_create(*, actor: Any, name: str, code: str = "", order: int | None = None) -> Bureau:
    with transaction.atomic():
        org_policy.check(actor, MANAGE)
        name = _text(name, "국 이름", max_length=50)
        code = _text(code, "국 코드", max_length=20, required=False)
        _check_named(Bureau, code=code, name=name, exclude_pk=None, what="국")
        bureau = Bureau.objects.create(
            code=code or _next_code(Bureau, "B", 2),
            name=name,
            order=order if order is not None else _next_order(Bureau.objects.all()),
        )
        log_action(actor=actor, action="org.bureau.create", target=bureau, after=snapshot(bureau, BUREAU_FIELDS))
    return bureau


def bureau_update(*, bureau: Bureau, actor: Any, **changes: Any) -> Bureau:
    with transaction.atomic():
        org_policy.check(actor, MANAGE)
        if "name" in changes:
            changes["name"] = _text(changes["name"], "국 이름", max_length=50)
        if "code" in changes:
            changes["code"] = _text(changes["code"], "국 코드", max_length=20)
        _check_named(
            Bureau, code=changes.get("code", ""), name=changes.get("name", bureau.name), exclude_pk=bureau.pk, what="국"
        )
        before = snapshot(bureau, BUREAU_FIELDS)
        changed = _apply(bureau, changes, BUREAU_FIELDS)
        if changed:
            bureau.save(update_fields=changed)
            _log(actor, "org.bureau.update", bureau, before, snapshot(bureau, BUREAU_FIELDS))
    return bureau


def evaluation_group_create(*, actor: Any, name: str, code: str = "", order: int | None = None) -> EvaluationGroup:
    with transaction.atomic():
        org_policy.check(actor, MANAGE)
        name = _text(name, "평가군 이름", max_length=50)
        code = _text(code, "평가군 코드", max_length=20, required=False)
        _check_named(EvaluationGroup, code=code, name=name, exclude_pk=None, what="평가군")
        group = EvaluationGroup.objects.create(
            code=code or _next_code(EvaluationGroup, "G", 1),
            name=name,
            order=order if order is not None else _next_order(EvaluationGroup.objects.all()),
        )
        log_action(actor=actor, action="org.group.create", target=group, after=snapshot(group, GROUP_FIELDS))
    return group


def evaluation_group_update(*, group: EvaluationGroup, actor: Any, **changes: Any) -> EvaluationGroup:
    with transaction.atomic():
        org_policy.check(actor, MANAGE)
        if "name" in changes:
            changes["name"] = _text(changes["name"], "평가군 이름", max_length=50)
        if "code" in changes:
            changes["code"] = _text(changes["code"], "평가군 코드", max_length=20)
        _check_named(
            EvaluationGroup,
            code=changes.get("code", ""),
            name=changes.get("name", group.name),
            exclude_pk=group.pk,
            what="평가군",
        )
        before = snapshot(group, GROUP_FIELDS)
        changed = _apply(group, changes, GROUP_FIELDS)
        if changed:
            group.save(update_fields=changed)
            _log(actor, "org.group.update", group, before, snapshot(group, GROUP_FIELDS))
    return group


# --- departments ---------------------------------------------------------------------------


def _validate_department(department: Department) -> None:
    errors: dict[str, str] = {}
    for name, label, limit, required in (("code", "부서 코드", 20, True), ("name", "부서 이름", 50, True)):
        try:
            setattr(department, name, _text(getattr(department, name), label, max_length=limit, required=required))
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    if "code" not in errors and not importers.CODE_RE.match(department.code):
        errors["code"] = "부서 코드는 영문, 숫자, -, _ 만 쓸 수 있습니다."
    if department.kind not in DepartmentKind.values:
        errors["kind"] = f"구분은 {importers.KIND_LABELS} 중 하나여야 합니다."
    if department.order is None or department.order < 0:
        errors["order"] = "순서는 0 이상의 정수여야 합니다."
    others = Department.objects.exclude(pk=department.pk) if department.pk else Department.objects.all()
    if "code" not in errors and others.filter(code=department.code).exists():
        errors["code"] = f"부서 코드 '{department.code}'은(는) 이미 쓰이고 있습니다."
    if "name" not in errors and others.filter(name=department.name).exists():
        errors["name"] = f"'{department.name}' 부서가 이미 있습니다."
    if department.is_planning_office:
        if others.filter(is_planning_office=True).exists():
            errors["is_planning_office"] = "기획감사실로 지정할 수 있는 부서는 하나뿐입니다."
        if not department.active:
            errors["is_planning_office"] = "기획감사실은 사용 중지할 수 없습니다."
    _field_errors(errors)


def department_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    bureau: Bureau | None = None,
    evaluation_group: EvaluationGroup | None = None,
    order: int | None = None,
    is_planning_office: bool = False,
) -> Department:
    with transaction.atomic():
        org_policy.check(actor, MANAGE)
        department = Department(
            code=code,
            name=name,
            kind=kind,
            bureau=bureau,
            evaluation_group=evaluation_group,
            order=order if order is not None else _next_order(Department.objects.all()),
            is_planning_office=is_planning_office,
            active=True,
        )
        _validate_department(department)
        department.save()
        log_action(
            actor=actor,
            action="org.department.create",
            target=department,
            department=department,
            after=snapshot(department, DEPARTMENT_FIELDS),
        )
    return department


def department_update(*, department: Department, actor: Any, **changes: Any) -> Department:
    """Change code, name, kind, bureau, evaluation group, order or the planning-office flag."""
    if "active" in changes:
        raise TypeError("use department_deactivate / department_activate")
    with transaction.atomic():
        org_policy.check(actor, MANAGE, department)
        department = Department.objects.select_for_update(of=("self",)).get(pk=department.pk)
        before = snapshot(department, DEPARTMENT_FIELDS)
        changed = _apply(department, changes, DEPARTMENT_FIELDS)
        if changed:
            _validate_department(department)
            department.save(update_fields=changed)
            _log(
                actor,
                "org.department.update",
                department,
                before,
                snapshot(department, DEPARTMENT_FIELDS),
                department=department,
            )
    return department


def department_deactivate(*, department: Department, actor: Any) -> Department:
    """A department that is abolished or merged stops being offered; its history stays."""
    with transaction.atomic():
        org_policy.check(actor, MANAGE, department)
        department = Department.objects.select_for_update(of=("self",)).get(pk=department.pk)
        if department.is_planning_office:
            raise ValidationError("기획감사실은 사용 중지할 수 없습니다.")
        if department.active:
            department.active = False
            department.save(update_fields=["active"])
            log_action(
                actor=actor,
                action="org.department.deactivate",
                target=department,
                department=department,
                before={"active": True},
                after={"active": False},
            )
    return department


def department_activate(*, department: Department, actor: Any) -> Department:
    with transaction.atomic():
        org_policy.check(actor, MANAGE, department)
        department = Department.objects.select_for_update(of=("self",)).get(pk=department.pk)
        if not department.active:
            department.active = True
            department.save(update_fields=["active"])
            log_action(
                actor=actor,
                action="org.department.activate",
                target=department,
                department=department,
                before={"active": False},
                after={"active": True},
            )
    return department


IN_USE_MESSAGE = "사용 중인 부서는 삭제할 수 없습니다. 대신 '사용 중지'하세요."


def department_in_use(department: Department) -> bool:
    return department.teams.exists() or department.people.exists()


def department_delete(*, department: Department, actor: Any) -> None:
    """Delete a department registered by mistake.  One in use (teams, people, or any record of another
    module) is refused: deactivate it instead."""
    with transaction.atomic():
        org_policy.check(actor, MANAGE, department)
        if department.is_planning_office:
            raise ValidationError("기획감사실은 삭제할 수 없습니다.")
        if department_in_use(department):
            raise ValidationError(IN_USE_MESSAGE)
        before = snapshot(department, DEPARTMENT_FIELDS)
        pk, label = department.pk, str(department)
        try:
            with transaction.atomic():
                department.delete()
        except ProtectedError:
            raise ValidationError(IN_USE_MESSAGE)
        log_action(
            actor=actor,
            action="org.department.delete",
            target_type="org.department",
            target_id=pk,
            target_repr=label,
            before=before,
        )


# --- teams ---------------------------------------------------------------------------------


def _validate_team(team: Team) -> None:
    try:
        team.name = _text(team.name, "팀 이름", max_length=50)
    except ValidationError as exc:
        raise ValidationError({"name": exc.messages})
    if Team.objects.filter(department_id=team.department_id, name=team.name).exclude(pk=team.pk).exists():
        raise ValidationError({"name": [f"이 부서에 '{team.name}'이(가) 이미 있습니다."]})
    if team.order is None or team.order < 0:
        raise ValidationError({"order": ["순서는 0 이상의 정수여야 합니다."]})


def team_create(*, department: Department, actor: Any, name: str, order: int | None = None) -> Team:
    with transaction.atomic():
        org_policy.check(actor, MANAGE, department)
        department = Department.objects.get(pk=department.pk)
        if not department.active:
            raise ValidationError("사용 중지된 부서에는 팀을 만들 수 없습니다.")
        team = Team(
            department=department,
            name=name,
            order=order if order is not None else _next_order(Team.objects.filter(department=department)),
        )
        _validate_team(team)
        team.save()
        log_action(
            actor=actor,
            action="org.team.create",
            target=team,
            department=department,
            after=snapshot(team, ["department", *TEAM_FIELDS]),
        )
    return team


def team_update(*, team: Team, actor: Any, **changes: Any) -> Team:
    """Rename, reorder, or stop using a team (only once nobody active belongs to it)."""
    with transaction.atomic():
        org_policy.check(actor, MANAGE, team.department)
        team = Team.objects.select_for_update(of=("self",)).select_related("department").get(pk=team.pk)
        before = snapshot(team, TEAM_FIELDS)
        changed = _apply(team, changes, TEAM_FIELDS)
        if not changed:
            return team
        _validate_team(team)
        if "active" in changed and not team.active and team.people.filter(user__is_active=True).exists():
            raise ValidationError(
                {"active": ["소속 직원이 있는 팀은 사용 중지할 수 없습니다. 직원의 팀을 먼저 바꾸세요."]}
            )
        if "active" in changed and team.active and not team.department.active:
            raise ValidationError({"active": ["사용 중지된 부서의 팀은 다시 사용할 수 없습니다."]})
        team.save(update_fields=changed)
        _log(actor, "org.team.update", team, before, snapshot(team, TEAM_FIELDS), department=team.department)
    return team


# --- people -------------------------------------------------------------------------------


def _person_snapshot(person: Person) -> dict[str, Any]:
    data = snapshot(person, PERSON_FIELDS)
    data.update(snapshot(person.user, USER_FIELDS))
    return data


def _check_admin_change(actor: Any, *, person: Person | None, role: str | None) -> None:
    touches_admin = role == Role.ADMIN or (
        person is not None and (person.role == Role.ADMIN or person.user.is_superuser)
    )
    if touches_admin and not org_policy.can(actor, ASSIGN_ADMIN):
        raise ValidationError({"role": ["시스템 관리자 계정은 시스템 관리자만 만들거나 바꿀 수 있습니다."]})


def _validate_person(person: Person, user: Any, changed: Iterable[str] | None = None) -> None:
    """``changed`` is None when the person is new: then every reference is checked as newly chosen."""
    chosen = set(PERSON_FIELDS) if changed is None else set(changed)
    errors: dict[str, str] = {}
    if not person.department_id:
        errors["department"] = "부서를 고르세요."
    elif "department" in chosen and not person.department.active:
        errors["department"] = "사용 중지된 부서에는 배정할 수 없습니다."
    team = person.team
    if team is not None and team.department_id != person.department_id:
        errors["team"] = "팀은 고른 부서의 팀이어야 합니다."
    elif team is not None and "team" in chosen and not team.active:
        errors["team"] = "사용 중지된 팀에는 배정할 수 없습니다."
    if person.role not in Role.values:
        errors["role"] = "역할을 고르세요."
    for name, label, limit in (("position", "직위·직급", 50), ("phone", "전화", 30)):
        value = (getattr(person, name) or "").strip()
        setattr(person, name, value)
        if len(value) > limit:
            errors[name] = f"{label}은(는) {limit}자를 넘을 수 없습니다."
    try:
        user.first_name = _text(user.first_name, "이름", max_length=150)
    except ValidationError as exc:
        errors["name"] = exc.messages[0]
    user.email = (user.email or "").strip()
    if user.email:
        try:
            validate_email(user.email)
        except ValidationError:
            errors["email"] = "전자우편 주소 형식이 올바르지 않습니다."
    _field_errors(errors)


def person_create(
    *,
    actor: Any,
    username: str,
    name: str,
    department: Department,
    team: Team | None = None,
    email: str = "",
    position: str = "",
    role: str = Role.STAFF,
    phone: str = "",
    password: str | None = None,
) -> Person:
    """Create the user and their place in the organisation.  Without a password the account gets an
    unusable one (the person signs in after an administrator sets it)."""
    User = get_user_model()
    with transaction.atomic():
        org_policy.check(actor, MANAGE, department)
        _check_admin_change(actor, person=None, role=role)
        department = Department.objects.get(pk=department.pk)
        username = (username or "").strip()
        errors: dict[str, str] = {}
        if not username:
            errors["username"] = "아이디를 입력하세요."
        elif len(username) > 150:
            errors["username"] = "아이디는 150자를 넘을 수 없습니다."
        else:
            try:
                UnicodeUsernameValidator()(username)
            except ValidationError:
                errors["username"] = "아이디는 글자, 숫자와 @ . + - _ 만 쓸 수 있습니다."
            if User.objects.filter(username__iexact=username).exists():
                errors["username"] = f"아이디 '{username}'은(는) 이미 쓰이고 있습니다."
        _field_errors(errors)
        user = User(username=username, first_name=name or "", email=email or "", is_active=True)
        person = Person(department=department, team=team, position=position, role=role, phone=phone)
        _validate_person(person, user)
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as exc:
                raise ValidationError({"password": exc.messages})
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        person.user = user
        person.save()
        after = _person_snapshot(person)
        after["password"] = "설정됨" if password else "없음(로그인 불가)"
        log_action(actor=actor, action="org.person.create", target=person, department=department, after=after)
    return person


def person_update(*, person: Person, actor: Any, **changes: Any) -> Person:
    """Change name, e-mail, department, team, position, role or phone.  Moving to another department
    clears a team that belongs to the old one."""
    aliases = {"name": "first_name"}
    user_changes = {aliases.get(k, k): changes.pop(k) for k in list(changes) if k in ("name", "email")}
    with transaction.atomic():
        person = (
            Person.objects.select_for_update(of=("self", "user"))
            .select_related("user", "department", "team")
            .get(pk=person.pk)
        )
        org_policy.check(actor, MANAGE, person.department)
        _check_admin_change(actor, person=person, role=changes.get("role"))
        if (
            "department" in changes
            and "team" not in changes
            and person.team is not None
            and person.team.department_id != getattr(changes["department"], "pk", None)
        ):
            changes["team"] = None
        before = _person_snapshot(person)
        changed = _apply(person, changes, PERSON_FIELDS)
        user_changed = _apply(person.user, user_changes, ("first_name", "email"))
        if not changed and not user_changed:
            return person
        _validate_person(person, person.user, changed)
        if changed:
            person.save(update_fields=changed)
        if user_changed:
            person.user.save(update_fields=user_changed)
        _log(actor, "org.person.update", person, before, _person_snapshot(person), department=person.department)
    return person


def person_set_password(*, person: Person, actor: Any, password: str) -> Person:
    """Set a (new) sign-in password for someone, e.g. an account created without one.  The audit row
    records that it changed, never the value."""
    with transaction.atomic():
        person = (
            Person.objects.select_for_update(of=("self", "user")).select_related("user", "department").get(pk=person.pk)
        )
        org_policy.check(actor, MANAGE, person.department)
        _check_admin_change(actor, person=person, role=None)
        try:
            password_validation.validate_password(password, person.user)
        except ValidationError as exc:
            raise ValidationError({"password1": exc.messages})
        had_password = person.user.has_usable_password()
        person.user.set_password(password)
        person.user.save(update_fields=["password"])
        log_action(
            actor=actor,
            action="org.person.set_password",
            target=person,
            department=person.department,
            before={"password": "설정됨" if had_password else "없음(로그인 불가)"},
            after={"password": "새로 설정됨"},
        )
    return person


def person_deactivate(*, person: Person, actor: Any) -> Person:
    """The user can no longer sign in; their records and audit history stay."""
    with transaction.atomic():
        person = (
            Person.objects.select_for_update(of=("self", "user")).select_related("user", "department").get(pk=person.pk)
        )
        org_policy.check(actor, MANAGE, person.department)
        _check_admin_change(actor, person=person, role=None)
        if person.user_id == getattr(actor, "pk", None):
            raise ValidationError("자기 자신의 계정은 사용 중지할 수 없습니다.")
        if person.user.is_active:
            person.user.is_active = False
            person.user.save(update_fields=["is_active"])
            log_action(
                actor=actor,
                action="org.person.deactivate",
                target=person,
                department=person.department,
                before={"is_active": True},
                after={"is_active": False},
            )
    return person


def person_activate(*, person: Person, actor: Any) -> Person:
    with transaction.atomic():
        person = (
            Person.objects.select_for_update(of=("self", "user")).select_related("user", "department").get(pk=person.pk)
        )
        org_policy.check(actor, MANAGE, person.department)
        _check_admin_change(actor, person=person, role=None)
        if not person.department.active:
            raise ValidationError("사용 중지된 부서의 직원입니다. 먼저 부서를 바꾸세요.")
        if not person.user.is_active:
            person.user.is_active = True
            person.user.save(update_fields=["is_active"])
            log_action(
                actor=actor,
                action="org.person.activate",
                target=person,
                department=person.department,
                before={"is_active": False},
                after={"is_active": True},
            )
    return person


# --- org chart import ---------------------------------------------------------------------


@dataclass
class RowOutcome:
    row: int
    code: str
    name: str
    outcome: str  # "created", "updated", "unchanged"
    changes: list[str] = field(default_factory=list)

    OUTCOME_LABELS = {"created": "신규", "updated": "변경", "unchanged": "변경 없음"}

    @property
    def outcome_label(self) -> str:
        return self.OUTCOME_LABELS[self.outcome]


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    rows: list[RowOutcome] = field(default_factory=list)
    bureaus_created: list[str] = field(default_factory=list)
    groups_created: list[str] = field(default_factory=list)
    teams_created: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def counts(self) -> dict[str, Any]:
        return {
            "rows": len(self.rows),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "bureaus_created": len(self.bureaus_created),
            "groups_created": len(self.groups_created),
            "teams_created": self.teams_created,
        }


FIELD_LABELS = {
    "name": "부서명",
    "kind": "구분",
    "bureau": "국",
    "evaluation_group": "평가군",
    "active": "사용",
}


def _check_against_database(rows: list[OrgRow]) -> None:
    codes = {r.code for r in rows}
    by_code = {d.code: d for d in Department.objects.filter(code__in=codes)}
    names_elsewhere = dict(Department.objects.exclude(code__in=codes).values_list("name", "code"))
    errors = []
    for r in rows:
        if r.name in names_elsewhere:
            errors.append(
                RowError(
                    r.row,
                    importers.COL_NAME,
                    f"'{r.name}'은(는) 파일에 없는 다른 부서(코드 {names_elsewhere[r.name]})가 쓰고 있습니다.",
                )
            )
        existing = by_code.get(r.code)
        if existing is not None and existing.is_planning_office and not r.active:
            errors.append(RowError(r.row, importers.COL_ACTIVE, "기획감사실은 사용 중지(N)할 수 없습니다."))
    if errors:
        raise OrgImportError(f"{len({e.row for e in errors})}개 행에 오류가 있어 아무것도 저장하지 않았습니다.", errors)


def org_chart_import(*, data: bytes, filename: str, actor: Any, dry_run: bool = False) -> ImportReport:
    """Create or update departments by code from an org chart file; create bureaus, evaluation groups
    and teams by name.  All or nothing: any bad row raises :class:`OrgImportError` and saves nothing.
    Teams missing from the file are left as they are."""
    org_policy.check(actor, MANAGE)
    rows = importers.parse_org_chart(data, filename)
    report = ImportReport(filename=filename, dry_run=dry_run)
    with transaction.atomic():
        _check_against_database(rows)
        bureaus = {b.name: b for b in Bureau.objects.all()}
        groups = {g.name: g for g in EvaluationGroup.objects.all()}
        for r in rows:
            if r.bureau and r.bureau not in bureaus:
                bureaus[r.bureau] = Bureau.objects.create(
                    code=_next_code(Bureau, "B", 2), name=r.bureau, order=_next_order(Bureau.objects.all())
                )
                report.bureaus_created.append(r.bureau)
            if r.group not in groups:
                groups[r.group] = EvaluationGroup.objects.create(
                    code=_next_code(EvaluationGroup, "G", 1),
                    name=r.group,
                    order=_next_order(EvaluationGroup.objects.all()),
                )
                report.groups_created.append(r.group)
        existing = {
            d.code: d
            for d in Department.objects.select_for_update(of=("self",)).filter(code__in=[r.code for r in rows])
        }
        # Names may move between departments of the file (a swap): park the renamed ones first.
        renamed = [existing[r.code] for r in rows if r.code in existing and existing[r.code].name != r.name]
        for department in renamed:
            Department.objects.filter(pk=department.pk).update(name=f"(이름 변경 중) {department.code}")
        order = _next_order(Department.objects.all())
        for r in rows:
            target = {
                "name": r.name,
                "kind": r.kind,
                "bureau": bureaus.get(r.bureau) if r.bureau else None,
                "evaluation_group": groups[r.group],
                "active": r.active,
            }
            found = existing.get(r.code)
            if found is None:
                department = Department.objects.create(code=r.code, order=order, **target)
                order += 1
                log_action(
                    actor=actor,
                    action="org.department.create",
                    target=department,
                    department=department,
                    after=snapshot(department, DEPARTMENT_FIELDS),
                )
                outcome = RowOutcome(r.row, r.code, r.name, "created")
            else:
                department = found
                before = snapshot(department, DEPARTMENT_FIELDS)
                changed = _apply(department, target, target.keys())
                if department in renamed:
                    changed = sorted(set(changed) | {"name"})
                if changed:
                    department.save(update_fields=changed)
                    _log(
                        actor,
                        "org.department.update",
                        department,
                        before,
                        snapshot(department, DEPARTMENT_FIELDS),
                        department=department,
                    )
                    outcome = RowOutcome(r.row, r.code, r.name, "updated", [FIELD_LABELS[c] for c in changed])
                else:
                    outcome = RowOutcome(r.row, r.code, r.name, "unchanged")
            current = {t.name: t for t in Team.objects.filter(department=department)}
            next_team_order = max((t.order for t in current.values()), default=0) + 1
            for name in r.teams:
                team = current.get(name)
                if team is None:
                    Team.objects.create(department=department, name=name, order=next_team_order)
                    next_team_order += 1
                    report.teams_created += 1
                    outcome.changes.append(f"팀 추가: {name}")
                elif not team.active:
                    team.active = True
                    team.save(update_fields=["active"])
                    outcome.changes.append(f"팀 다시 사용: {name}")
            if outcome.outcome == "unchanged" and outcome.changes:
                outcome.outcome = "updated"
            report.rows.append(outcome)
        log_action(
            actor=actor,
            action="org.import",
            target_type="org.import",
            target_repr=filename[:255] or "조직도",
            after={"filename": filename, "dry_run": dry_run, **report.counts()},
        )
        if dry_run:
            transaction.set_rollback(True)
    return report
