"""Reads of pledges: the year's states, completion rates, lists for pages and the public page."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.safestring import mark_safe

from hwallyu.pledges.models import Pledge, PledgeCategory, PledgeScheme, PledgeState, PublicPage
from hwallyu.workplan.money import percent

DEFAULT_STATES: tuple[tuple[str, str, bool, str], ...] = (
    ("completed", "완료", True, "success"),
    ("continuing", "이행후계속추진", True, "success"),
    ("normal", "정상추진", False, ""),
    ("partial", "일부추진", False, "warning"),
    ("on_hold", "보류", False, "warning"),
    ("dropped", "폐기", False, "danger"),
)


def this_year() -> int:
    return timezone.localdate().year


def scheme_for(year: int) -> PledgeScheme | None:
    """The scheme of ``year``: its own, else the latest earlier one, else the earliest later one."""
    return (
        PledgeScheme.objects.filter(year__lte=year).order_by("-year").first()
        or PledgeScheme.objects.filter(year__gt=year).order_by("year").first()
    )


def states_for(year: int | None = None) -> list[PledgeState]:
    """The states of the year's scheme in order; the default states when no scheme exists yet."""
    scheme = scheme_for(year or this_year())
    if scheme is not None:
        return list(scheme.states.all())
    return [
        PledgeState(code=code, label=label, counts_as_complete=complete, tone=tone, order=i)
        for i, (code, label, complete, tone) in enumerate(DEFAULT_STATES, start=1)
    ]


def state_map(year: int | None = None) -> dict[str, PledgeState]:
    return {s.code: s for s in states_for(year)}


def categories() -> QuerySet[PledgeCategory]:
    return PledgeCategory.objects.all()


def pledge_list(
    qs: QuerySet[Pledge],
    *,
    category_id: int | None = None,
    department_id: int | None = None,
    state_code: str = "",
    query: str = "",
) -> QuerySet[Pledge]:
    qs = qs.select_related("category", "department").order_by("code")
    if category_id:
        qs = qs.filter(category_id=category_id)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if state_code:
        qs = qs.filter(state_code=state_code)
    if query:
        qs = qs.filter(title__icontains=query)
    return qs


@dataclass
class Completion:
    label: str
    total: int = 0
    complete: int = 0
    by_state: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> Decimal | None:
        """(완료 + 이행후계속추진 …) ÷ all, in percent with two decimals."""
        return percent(self.complete, self.total, places=2)


@dataclass
class CompletionReport:
    year: int
    states: list[PledgeState]
    overall: Completion
    by_category: list[Completion]
    by_department: list[Completion]

    def _rows(self, items: list[Completion]) -> list[tuple[Completion, str]]:
        """Each group with its counts per state as table cells (a city has a hundred departments or more)."""
        # counts only: nothing to escape
        return [
            (c, mark_safe("".join(f'<td class="num">{c.by_state.get(s.label) or 0}</td>' for s in self.states)))
            for c in items
        ]

    @property
    def category_rows(self) -> list[tuple[Completion, str]]:
        return self._rows(self.by_category)

    @property
    def department_rows(self) -> list[tuple[Completion, str]]:
        return self._rows(self.by_department)

    @property
    def complete_labels(self) -> list[str]:
        return [s.label for s in self.states if s.counts_as_complete]

    def as_dict(self) -> dict[str, object]:
        def one(c: Completion) -> dict[str, object]:
            return {
                "label": c.label,
                "total": c.total,
                "complete": c.complete,
                "rate": str(c.rate) if c.rate is not None else None,
                "by_state": c.by_state,
            }

        return {
            "year": self.year,
            "complete_states": self.complete_labels,
            "overall": one(self.overall),
            "by_category": [one(c) for c in self.by_category],
            "by_department": [one(c) for c in self.by_department],
        }


def completion(
    qs: QuerySet[Pledge] | None = None, *, year: int | None = None, states: list[PledgeState] | None = None
) -> CompletionReport:
    """Completion rate = pledges in a "counts as complete" state ÷ all pledges, overall and per group.

    ``states``: the year's states when the caller has them already."""
    year = year or this_year()
    states = states if states is not None else states_for(year)
    complete_codes = {s.code for s in states if s.counts_as_complete}
    labels = {s.code: s.label for s in states}
    base = qs if qs is not None else Pledge.objects.all()
    rows = (
        base.order_by()
        .values("category__name", "category__order", "department__name", "department__order", "state_code")
        .annotate(n=Count("id"))
    )
    overall = Completion("전체", by_state={s.label: 0 for s in states})
    by_category: dict[tuple[int, str], Completion] = {}
    by_department: dict[tuple[int, str], Completion] = {}
    for row in rows:
        n = row["n"]
        state_label = labels.get(row["state_code"], row["state_code"])
        done = row["state_code"] in complete_codes
        cat = by_category.setdefault((row["category__order"], row["category__name"]), Completion(row["category__name"]))
        dep = by_department.setdefault(
            (row["department__order"], row["department__name"]), Completion(row["department__name"])
        )
        for group in (overall, cat, dep):
            group.total += n
            group.complete += n if done else 0
            group.by_state[state_label] = group.by_state.get(state_label, 0) + n
    return CompletionReport(
        year=year,
        states=states,
        overall=overall,
        by_category=[by_category[k] for k in sorted(by_category)],
        by_department=[by_department[k] for k in sorted(by_department)],
    )


def public_page() -> PublicPage:
    return PublicPage.load()


def public_pledges() -> QuerySet[Pledge]:
    return (
        Pledge.objects.filter(published=True)
        .select_related("category", "department")
        .order_by("category__order", "code")
    )


def pledge_choices() -> QuerySet[Pledge]:
    """Pledges for pickers in other apps (review targets)."""
    return Pledge.objects.select_related("department").order_by("code")


def planned_months(pledge: Pledge, year: int) -> list[int]:
    target = pledge.targets.filter(year=year).first()
    return sorted(int(m) for m in (target.planned_months if target else []) if 1 <= int(m) <= 12)
