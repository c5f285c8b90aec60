"""Writes of pledges: registration, progress notes with evidence, yearly targets, the yearly
scheme of states, categories and the public page switch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max

from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.org.models import Department
from hwallyu.pledges import policies as p
from hwallyu.pledges import selectors
from hwallyu.pledges.models import (
    Pledge,
    PledgeCategory,
    PledgeNote,
    PledgeScheme,
    PledgeState,
    PledgeYearTarget,
    PublicPage,
)
from hwallyu.pledges.policies import pledges
from hwallyu.workplan.money import MAX_WON

PLEDGE_FIELDS = (
    "code",
    "title",
    "category",
    "department",
    "term",
    "summary",
    "state_code",
    "progress",
    "budget_needed",
    "budget_secured",
    "published",
)
MAX_EVIDENCE = 10 * 1024 * 1024
EVIDENCE_TYPES = (".pdf", ".hwp", ".hwpx", ".xlsx", ".xls", ".docx", ".pptx", ".jpg", ".jpeg", ".png", ".zip")


def _check_state(state_code: str, year: int | None = None) -> None:
    if state_code not in selectors.state_map(year):
        labels = ", ".join(s.label for s in selectors.states_for(year))
        raise ValidationError({"state_code": f"허용되지 않는 상태입니다(가능: {labels})."})


def _check_progress(progress: Any) -> int:
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ValidationError({"progress": f"추진률은 0–100 사이의 정수여야 합니다(입력값 {progress})."})
    return progress


def _check_money(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WON:
        raise ValidationError({name: "금액은 0 이상(1000조 원 이하)의 원 단위 정수여야 합니다."})


def _validate(fields: dict[str, Any]) -> None:
    if "code" in fields and not str(fields["code"]).strip():
        raise ValidationError({"code": "공약 번호를 입력하세요."})
    if "title" in fields and not str(fields["title"]).strip():
        raise ValidationError({"title": "공약명을 입력하세요."})
    if "state_code" in fields:
        _check_state(fields["state_code"])
    if "progress" in fields:
        _check_progress(fields["progress"])
    for name in ("budget_needed", "budget_secured"):
        if name in fields:
            _check_money(name, fields[name])


def pledge_create(
    *,
    code: str,
    title: str,
    category: PledgeCategory,
    department: Department,
    state_code: str,
    actor: Any,
    term: str = "민선8기",
    summary: str = "",
    progress: int = 0,
    budget_needed: int = 0,
    budget_secured: int = 0,
    published: bool = True,
) -> Pledge:
    pledges.check(actor, p.MANAGE)
    fields = dict(
        code=code.strip(),
        title=title.strip(),
        category=category,
        department=department,
        term=term.strip() or "민선8기",
        summary=summary,
        state_code=state_code,
        progress=progress,
        budget_needed=budget_needed,
        budget_secured=budget_secured,
        published=published,
    )
    _validate(fields)
    with transaction.atomic():
        if Pledge.objects.filter(code=fields["code"]).exists():
            raise ValidationError({"code": f"공약 번호 {fields['code']}이(가) 이미 있습니다."})
        pledge = Pledge.objects.create(**fields)
        log_action(
            actor=actor,
            action="pledges.create",
            target=pledge,
            department=department,
            after=snapshot(pledge, ["code", "title", "category_id", "department_id", "state_code", "progress"]),
        )
    return pledge


def pledge_update(*, pledge: Pledge, actor: Any, **fields: Any) -> Pledge:
    pledges.check(actor, p.MANAGE, pledge)
    unknown = set(fields) - set(PLEDGE_FIELDS)
    if unknown:
        raise ValidationError(f"바꿀 수 없는 항목입니다: {', '.join(sorted(unknown))}")
    _validate(fields)
    if "code" in fields:
        fields["code"] = fields["code"].strip()
    names = [f"{n}_id" if n in ("category", "department") else n for n in fields]
    with transaction.atomic():
        if "code" in fields and Pledge.objects.filter(code=fields["code"]).exclude(pk=pledge.pk).exists():
            raise ValidationError({"code": f"공약 번호 {fields['code']}이(가) 이미 있습니다."})
        before = snapshot(pledge, names)
        for name, value in fields.items():
            setattr(pledge, name, value)
        pledge.save(update_fields=[*fields, "updated_at"])
        b, a = diff(before, snapshot(pledge, names))
        log_action(actor=actor, action="pledges.update", target=pledge, department=pledge.department, before=b, after=a)
    return pledge


def _check_evidence(evidence: UploadedFile | None) -> None:
    if evidence is None:
        return
    name = (evidence.name or "").lower()
    if not name.endswith(EVIDENCE_TYPES):
        raise ValidationError({"evidence": f"증빙 자료는 {', '.join(EVIDENCE_TYPES)} 파일만 올릴 수 있습니다."})
    if evidence.size and evidence.size > MAX_EVIDENCE:
        raise ValidationError({"evidence": "증빙 자료는 10MB 이하여야 합니다."})


def pledge_note_add(
    *,
    pledge: Pledge,
    written_on: dt.date,
    text: str,
    state_code: str,
    progress: int,
    actor: Any,
    evidence: UploadedFile | None = None,
) -> PledgeNote:
    """A progress note; it also moves the pledge to the note's state and progress."""
    pledges.check(actor, p.ADD_NOTE, pledge)
    if not text.strip():
        raise ValidationError({"text": "추진 실적을 입력하세요."})
    _check_state(state_code, written_on.year)
    _check_progress(progress)
    _check_evidence(evidence)
    with transaction.atomic():
        note = PledgeNote(
            pledge=pledge,
            written_on=written_on,
            text=text.strip(),
            state_code=state_code,
            progress=progress,
            author=actor,
        )
        if evidence is not None:
            note.evidence_name = (evidence.name or "증빙")[:200]
            note.evidence.save(evidence.name or "evidence", evidence, save=False)
        note.save()
        before = snapshot(pledge, ["state_code", "progress"])
        latest = pledge.notes.order_by("-written_on", "-id").first()
        if latest is not None and latest.pk == note.pk:
            pledge.state_code, pledge.progress = state_code, progress
            pledge.save(update_fields=["state_code", "progress", "updated_at"])
        b, a = diff(before, snapshot(pledge, ["state_code", "progress"]))
        log_action(
            actor=actor,
            action="pledges.note_add",
            target=pledge,
            department=pledge.department,
            before=b,
            after={**a, "note": note.text[:200], "written_on": written_on, "evidence": note.evidence_name},
        )
    return note


def pledge_target_save(
    *,
    pledge: Pledge,
    year: int,
    target: str,
    planned_months: Iterable[int],
    budget_planned: int = 0,
    actor: Any,
) -> PledgeYearTarget:
    pledges.check(actor, p.EDIT_TARGET, pledge)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "연도는 2000–2100 사이여야 합니다."})
    if not target.strip():
        raise ValidationError({"target": "연도 목표를 입력하세요."})
    months = sorted({int(m) for m in planned_months})
    if any(not 1 <= m <= 12 for m in months):
        raise ValidationError({"planned_months": "추진 월은 1–12 사이여야 합니다."})
    _check_money("budget_planned", budget_planned)
    with transaction.atomic():
        row, created = PledgeYearTarget.objects.get_or_create(
            pledge=pledge,
            year=year,
            defaults={"target": target.strip(), "planned_months": months, "budget_planned": budget_planned},
        )
        before = {} if created else snapshot(row, ["target", "planned_months", "budget_planned"])
        if not created:
            row.target, row.planned_months, row.budget_planned = target.strip(), months, budget_planned
            row.save(update_fields=["target", "planned_months", "budget_planned"])
        b, a = diff(before, snapshot(row, ["target", "planned_months", "budget_planned"]))
        log_action(
            actor=actor,
            action="pledges.target_save",
            target=pledge,
            department=pledge.department,
            before=b,
            after={"year": year, **a},
        )
    return row


# --- categories ------------------------------------------------------------------------------


def category_save(
    *, name: str, actor: Any, category: PledgeCategory | None = None, order: int | None = None
) -> PledgeCategory:
    pledges.check(actor, p.MANAGE)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "분야 이름을 입력하세요."})
    with transaction.atomic():
        clash = PledgeCategory.objects.filter(name=name)
        if category is not None:
            clash = clash.exclude(pk=category.pk)
        if clash.exists():
            raise ValidationError({"name": f"'{name}' 분야가 이미 있습니다."})
        if category is None:
            next_order = (PledgeCategory.objects.aggregate(m=Max("order"))["m"] or 0) + 1
            category = PledgeCategory.objects.create(name=name, order=order if order is not None else next_order)
            log_action(actor=actor, action="pledges.category_create", target=category)
        else:
            before = snapshot(category, ["name", "order"])
            category.name = name
            if order is not None:
                category.order = order
            category.save(update_fields=["name", "order"])
            b, a = diff(before, snapshot(category, ["name", "order"]))
            log_action(actor=actor, action="pledges.category_update", target=category, before=b, after=a)
    return category


# --- the yearly scheme of states -----------------------------------------------------------------


def scheme_create(*, year: int, actor: Any) -> PledgeScheme:
    """A scheme for ``year``, copied from the nearest existing one (or the default states)."""
    pledges.check(actor, p.MANAGE)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "연도는 2000–2100 사이여야 합니다."})
    with transaction.atomic():
        if PledgeScheme.objects.filter(year=year).exists():
            raise ValidationError({"year": f"{year}년 상태 체계가 이미 있습니다."})
        source = selectors.states_for(year)
        scheme = PledgeScheme.objects.create(year=year)
        PledgeState.objects.bulk_create(
            [
                PledgeState(
                    scheme=scheme,
                    code=s.code,
                    label=s.label,
                    counts_as_complete=s.counts_as_complete,
                    tone=s.tone,
                    order=s.order,
                )
                for s in source
            ]
        )
        log_action(
            actor=actor, action="pledges.scheme_create", target=scheme, after={"states": [s.label for s in source]}
        )
    return scheme


def state_save(
    *,
    scheme: PledgeScheme,
    code: str,
    label: str,
    counts_as_complete: bool,
    tone: str = "",
    order: int = 0,
    state: PledgeState | None = None,
    actor: Any,
) -> PledgeState:
    pledges.check(actor, p.MANAGE)
    code, label = code.strip(), label.strip()
    if not code or not label:
        raise ValidationError("상태 코드와 이름을 입력하세요.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                if state is None:
                    state = PledgeState.objects.create(
                        scheme=scheme,
                        code=code,
                        label=label,
                        counts_as_complete=counts_as_complete,
                        tone=tone,
                        order=order,
                    )
                    before: dict[str, Any] = {}
                else:
                    if state.scheme_id != scheme.pk:
                        raise ValidationError("다른 연도의 상태입니다.")
                    if state.code != code and Pledge.objects.filter(state_code=state.code).exists():
                        raise ValidationError({"code": "공약이 쓰고 있는 상태의 코드는 바꿀 수 없습니다."})
                    before = snapshot(state, ["code", "label", "counts_as_complete", "tone", "order"])
                    state.code, state.label, state.counts_as_complete = code, label, counts_as_complete
                    state.tone, state.order = tone, order
                    state.save(update_fields=["code", "label", "counts_as_complete", "tone", "order"])
        except IntegrityError:
            raise ValidationError("같은 코드나 이름의 상태가 이미 있습니다.")
        b, a = diff(before, snapshot(state, ["code", "label", "counts_as_complete", "tone", "order"]))
        log_action(actor=actor, action="pledges.state_save", target=scheme, before=b, after=a)
    return state


def state_delete(*, state: PledgeState, actor: Any) -> None:
    pledges.check(actor, p.MANAGE)
    with transaction.atomic():
        if Pledge.objects.filter(state_code=state.code).exists():
            raise ValidationError(f"'{state.label}' 상태인 공약이 있어 삭제할 수 없습니다.")
        record = snapshot(state, ["code", "label", "counts_as_complete"])
        scheme = state.scheme
        state.delete()
        log_action(actor=actor, action="pledges.state_delete", target=scheme, before=record)


# --- the public page -------------------------------------------------------------------------------


def public_page_update(*, enabled: bool, title: str, intro: str, actor: Any) -> PublicPage:
    pledges.check(actor, p.PUBLIC_SWITCH)
    if not title.strip():
        raise ValidationError({"title": "제목을 입력하세요."})
    with transaction.atomic():
        page = PublicPage.load()
        before = snapshot(page, ["enabled", "title", "intro"])
        page.enabled, page.title, page.intro, page.updated_by = enabled, title.strip(), intro, actor
        page.save(update_fields=["enabled", "title", "intro", "updated_by", "updated_at"])
        b, a = diff(before, snapshot(page, ["enabled", "title", "intro"]))
        log_action(actor=actor, action="pledges.public_page", target=page, before=b, after=a)
    return page
