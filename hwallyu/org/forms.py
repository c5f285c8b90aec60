"""Forms of the organisation pages.  They only check input shape; the services apply the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from hwallyu.org import importers, selectors
from hwallyu.org.models import Bureau, Department, DepartmentKind, EvaluationGroup, Role, Team


class AccessibleFormMixin:
    """Marks fields with errors (``aria-invalid``) and ties each to its error and help text."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            field_id = self[name].auto_id  # type: ignore[index]
            described = []
            if field.help_text:
                described.append(f"{field_id}_helptext")
            if name in self.errors:  # type: ignore[attr-defined]
                field.widget.attrs["aria-invalid"] = "true"
                described.append(f"{field_id}_error")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


def apply_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, else above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error.messages[0] if hasattr(error, "messages") else str(error))
    else:
        for message in exc.messages:
            form.add_error(None, message)


KIND_FILTER_CHOICES = [("", "전체"), *DepartmentKind.choices]
ACTIVE_CHOICES = [("1", "사용 중"), ("0", "사용 중지"), ("", "전체")]


class DepartmentFilterForm(forms.Form):
    kind = forms.ChoiceField(label="구분", choices=KIND_FILTER_CHOICES, required=False)
    bureau = forms.ModelChoiceField(label="국", queryset=Bureau.objects.none(), required=False, empty_label="전체")
    group = forms.ModelChoiceField(
        label="평가군", queryset=EvaluationGroup.objects.none(), required=False, empty_label="전체"
    )
    active = forms.ChoiceField(label="사용 여부", choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["bureau"]).queryset = Bureau.objects.all()
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = EvaluationGroup.objects.all()

    def filters(self) -> dict[str, Any]:
        """The filters to apply; a bad value in the query string counts as no filter."""
        data = self.cleaned_data if self.is_valid() else {}
        active = data.get("active", "1") if "active" in self.data else "1"
        return {
            "kind": data.get("kind", ""),
            "bureau": data.get("bureau"),
            "group": data.get("group"),
            "active": {"1": True, "0": False}.get(active or ""),
        }


class DepartmentForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label="부서 코드", max_length=20, help_text="영문, 숫자, -, _ (예: D001). 다른 시스템과 맞추는 열쇠입니다."
    )
    name = forms.CharField(label="부서 이름", max_length=50)
    kind = forms.ChoiceField(label="구분", choices=DepartmentKind.choices)
    bureau = forms.ModelChoiceField(label="국", queryset=Bureau.objects.none(), required=False, empty_label="(없음)")
    evaluation_group = forms.ModelChoiceField(
        label="평가군", queryset=EvaluationGroup.objects.none(), required=False, empty_label="(없음)"
    )
    order = forms.IntegerField(label="순서", min_value=0, max_value=100000, required=False)
    is_planning_office = forms.BooleanField(
        label="기획감사실", required=False, help_text="지시사항·심사분석을 관리하는 부서(하나만 지정)."
    )

    def __init__(self, *args: Any, department: Department | None = None, **kwargs: Any) -> None:
        if department is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": department.code,
                "name": department.name,
                "kind": department.kind,
                "bureau": department.bureau_id,
                "evaluation_group": department.evaluation_group_id,
                "order": department.order,
                "is_planning_office": department.is_planning_office,
            }
        super().__init__(*args, **kwargs)
        bureaus = Bureau.objects.filter(active=True)
        if department is not None and department.bureau_id:
            bureaus = Bureau.objects.filter(active=True) | Bureau.objects.filter(pk=department.bureau_id)
        cast(forms.ModelChoiceField, self.fields["bureau"]).queryset = bureaus.distinct()
        cast(forms.ModelChoiceField, self.fields["evaluation_group"]).queryset = EvaluationGroup.objects.all()


class TeamForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label="팀 이름", max_length=50)
    order = forms.IntegerField(label="순서", min_value=0, max_value=100000, required=False)


class TeamEditForm(TeamForm):
    active = forms.BooleanField(label="사용", required=False)


class BureauForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label="국 이름", max_length=50)
    code = forms.CharField(label="국 코드", max_length=20, required=False, help_text="비워 두면 자동으로 정합니다.")
    order = forms.IntegerField(label="순서", min_value=0, max_value=100000, required=False)


class BureauEditForm(BureauForm):
    code = forms.CharField(label="국 코드", max_length=20)
    active = forms.BooleanField(label="사용", required=False)


class GroupForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label="평가군 이름", max_length=50)
    code = forms.CharField(label="평가군 코드", max_length=20, required=False, help_text="비워 두면 자동으로 정합니다.")
    order = forms.IntegerField(label="순서", min_value=0, max_value=100000, required=False)


class GroupEditForm(GroupForm):
    code = forms.CharField(label="평가군 코드", max_length=20)


class CityForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label="시·군 이름", max_length=50)
    province = forms.CharField(label="광역자치단체", max_length=50, help_text="예: 충청남도")


def _team_choices() -> list[Any]:
    """Teams grouped by department (``<optgroup>``), so the list stays readable with 59 departments."""
    grouped: dict[str, list[tuple[int, str]]] = {}
    for team in selectors.active_teams().order_by("department__order", "department__code", "order", "name"):
        grouped.setdefault(team.department.name, []).append((team.pk, team.name))
    return [("", "(없음)"), *grouped.items()]


class PersonForm(AccessibleFormMixin, forms.Form):
    username = forms.CharField(
        label="아이디", max_length=150, help_text="로그인에 쓰는 이름입니다. 나중에 바꿀 수 없습니다."
    )
    name = forms.CharField(label="이름", max_length=150)
    email = forms.EmailField(label="전자우편", required=False, help_text="알림을 받을 주소입니다.")
    department = forms.ModelChoiceField(label="부서", queryset=Department.objects.none(), empty_label="(부서 선택)")
    team = forms.TypedChoiceField(label="팀", required=False, coerce=int, empty_value=None)
    position = forms.CharField(label="직위·직급", max_length=50, required=False)
    role = forms.ChoiceField(label="역할", choices=Role.choices, initial=Role.STAFF)
    phone = forms.CharField(label="전화", max_length=30, required=False)
    password1 = forms.CharField(
        label="비밀번호",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="비워 두면 로그인할 수 없는 계정으로 만들어집니다(나중에 관리자가 설정).",
    )
    password2 = forms.CharField(
        label="비밀번호 확인",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, person: Any = None, can_assign_admin: bool = False, **kwargs: Any) -> None:
        self.person = person
        if person is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "username": person.user.username,
                "name": person.user.first_name,
                "email": person.user.email,
                "department": person.department_id,
                "team": person.team_id,
                "position": person.position,
                "role": person.role,
                "phone": person.phone,
            }
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(active=True)
        if person is not None:
            departments = departments | Department.objects.filter(pk=person.department_id)
            del self.fields["password1"], self.fields["password2"]
            self.fields["username"].disabled = True
            self.fields["username"].help_text = ""
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments.distinct()
        choices = _team_choices()
        if person is not None and person.team_id and not (person.team.active and person.department.active):
            choices.append((f"{person.department.name} (현재)", [(person.team_id, f"{person.team.name} (사용 중지)")]))
        cast(forms.ChoiceField, self.fields["team"]).choices = choices
        if not can_assign_admin:
            current = person.role if person is not None else None
            cast(forms.ChoiceField, self.fields["role"]).choices = [
                c for c in Role.choices if c[0] != Role.ADMIN or c[0] == current
            ]

    def clean_team(self) -> Team | None:
        pk = self.cleaned_data.get("team")
        if not pk:
            return None
        team = Team.objects.filter(pk=pk).first()
        if team is None:
            raise ValidationError("팀을 다시 고르세요.")
        return team

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "password1" in self.fields and data.get("password1") != data.get("password2"):
            self.add_error("password2", "비밀번호 확인이 일치하지 않습니다.")
        return data


class PasswordSetForm(AccessibleFormMixin, forms.Form):
    password1 = forms.CharField(
        label="새 비밀번호",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="10자 이상. 직원에게 전달한 뒤 본인이 바꾸도록 안내하세요.",
    )
    password2 = forms.CharField(
        label="새 비밀번호 확인", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "비밀번호 확인이 일치하지 않습니다.")
        return data


class ImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label="조직도 파일",
        help_text=f"CSV(UTF-8 또는 CP949) 또는 XLSX. 열: {', '.join(importers.COLUMNS)}.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.xls,.ods,text/csv"}),
    )
    dry_run = forms.BooleanField(label="검사만 하기(저장하지 않음)", required=False)


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label="검색", required=False, max_length=50, help_text="이름, 아이디, 직위, 전자우편")
    department = forms.ModelChoiceField(
        label="부서", queryset=Department.objects.none(), required=False, empty_label="전체"
    )
    role = forms.ChoiceField(label="역할", choices=[("", "전체"), *Role.choices], required=False)
    active = forms.ChoiceField(
        label="상태", choices=[("1", "사용 중"), ("0", "사용 중지"), ("", "전체")], required=False
    )

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = (
            departments if departments is not None else Department.objects.all()
        )

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        active = data.get("active", "1") if "active" in self.data else "1"
        return {
            "query": (data.get("q") or "").strip(),
            "department": data.get("department"),
            "role": data.get("role", ""),
            "active": {"1": True, "0": False}.get(active or ""),
        }
