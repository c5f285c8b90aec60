"""Results: the evaluation, freezing, the drill-down, the what-if mode, downloads, dashboard cards."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hwallyu.core.documents import report_response
from hwallyu.core.navigation import Card
from hwallyu.org.models import Role
from hwallyu.org.selectors import department_of, role_of
from hwallyu.performance import reports, scoring, selectors, services
from hwallyu.performance.forms import (
    ReasonForm,
    WhatIfForm,
)
from hwallyu.performance.models import (
    ActualStatus,
    CustomerScore,
    IndicatorSet,
    Scheme,
    SetStatus,
)
from hwallyu.performance.policies import (
    MANAGE,
    VIEW_RESULTS,
    is_office,
    performance_policy,
)
from hwallyu.performance.views.common import (
    require,
    run_service,
    scheme_or_404,
    set_or_404,
    year_crumbs,
)

# --- results ---------------------------------------------------------------------------------------


def _readiness(scheme: Scheme) -> list[str]:
    """What is not finished yet (shown before freezing)."""
    counts = selectors.status_counts(scheme)
    notes = []
    waiting = counts["set_total"] - counts["sets"][SetStatus.APPROVED]
    if waiting:
        notes.append(f"지표가 승인되지 않은 부서 {waiting}곳(지표달성도 0점으로 계산)")
    if counts["actuals"][ActualStatus.SUBMITTED]:
        notes.append(f"확인을 기다리는 실적 {counts['actuals'][ActualStatus.SUBMITTED]}건(확인된 실적만 반영)")
    if counts["actuals"][ActualStatus.RETURNED]:
        notes.append(f"보완 요청 중인 실적 {counts['actuals'][ActualStatus.RETURNED]}건")
    missing = (
        IndicatorSet.objects.filter(scheme=scheme, group__isnull=False)
        .exclude(department_id__in=CustomerScore.objects.filter(scheme=scheme).values("department_id"))
        .count()
    )
    if missing:
        notes.append(f"{scheme.customer_label} 점수가 없는 부서 {missing}곳(0점으로 계산)")
    return notes


@login_required
def results(request: HttpRequest, year: int) -> HttpResponse:
    require(request, VIEW_RESULTS)
    scheme = scheme_or_404(year)
    found = selectors.results(scheme)
    if found.live is not None:
        rules = selectors.rules_to_json(found.live.rules)
        fingerprint = found.live.fingerprint
    else:
        assert found.run is not None
        rules = found.run.rules
        fingerprint = selectors.live_fingerprint(scheme)  # only to tell whether the inputs changed since
    grade_codes = [g["code"] for g in rules["grades"]]
    manage = is_office(request.user)
    return render(
        request,
        "performance/results.html",
        {
            "scheme": scheme,
            "found": found,
            "rules": rules,
            "groups": selectors.groups_of_rows(found.rows),
            "grade_codes": grade_codes,
            "grade_counts": selectors.grade_counts(found.rows, grade_codes),
            "chart": selectors.distribution_chart(found.rows),
            "distribution": selectors.distribution_table(found.rows),
            "fingerprint": fingerprint,
            "changed_since": found.run is not None and found.run.input_hash != fingerprint,
            "readiness": _readiness(scheme) if found.run is None else [],
            "past_runs": selectors.past_runs(scheme),
            "can_manage": manage,
            "reason_form": ReasonForm(),
            "breadcrumbs": year_crumbs(scheme, ("평가 결과", None)),
        },
    )


@login_required
@require_POST
def freeze(request: HttpRequest, year: int) -> HttpResponse:
    require(request, MANAGE)
    scheme = scheme_or_404(year)
    run_service(
        request,
        lambda: services.run_freeze(
            scheme=scheme, expected_fingerprint=request.POST.get("fingerprint") or None, actor=request.user
        ),
        f"{year}년 평가 결과를 확정했습니다. 이후 자료를 고쳐도 확정 결과는 바뀌지 않습니다.",
    )
    return redirect("performance:results", year=year)


@login_required
@require_POST
def reopen(request: HttpRequest, year: int) -> HttpResponse:
    require(request, MANAGE)
    scheme = scheme_or_404(year)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "확정 취소 사유를 입력하세요.")
    else:
        run_service(
            request,
            lambda: services.run_reopen(scheme=scheme, reason=form.cleaned_data["reason"], actor=request.user),
            "확정을 취소했습니다. 취소한 결과는 기록으로 남습니다.",
        )
    return redirect("performance:results", year=year)


@login_required
def drilldown(request: HttpRequest, year: int, code: str) -> HttpResponse:
    scheme = scheme_or_404(year)
    indicator_set = set_or_404(request, scheme, code)
    reads_all = performance_policy.can(request.user, VIEW_RESULTS)
    found = selectors.results(scheme) if reads_all else None
    if not reads_all:
        run = selectors.frozen_run(scheme)
        found = selectors.Results(list(run.rows), run, None) if run else None
    row = selectors.department_row(found.rows, code) if found else None
    rules = None
    if found is not None:
        rules = found.run.rules if found.run else selectors.rules_to_json(selectors.rules_of(scheme))
    crumbs: list[tuple[str, str | None]] = []
    if reads_all:
        crumbs.append(("평가 결과", reverse("performance:results", args=[year])))
    return render(
        request,
        "performance/drilldown.html",
        {
            "scheme": scheme,
            "set": indicator_set,
            "found": found,
            "row": row,
            "rules": rules,
            "reads_all": reads_all,
            "breadcrumbs": year_crumbs(scheme, *crumbs, (indicator_set.department.name, None)),
        },
    )


@login_required
def whatif(request: HttpRequest, year: int) -> HttpResponse:
    """Try changes and compare with the frozen run (or the current result); nothing is saved."""
    require(request, VIEW_RESULTS)
    scheme = scheme_or_404(year)
    run = selectors.frozen_run(scheme)
    if run is not None:
        rules = scoring.rules_from_json(run.rules)
        inputs = scoring.inputs_from_rows(run.rows)
    else:
        rules = selectors.rules_of(scheme)
        inputs = selectors.cached_evaluation_inputs(scheme)
    choices = [(i.id, f"{d.name} · {i.name}") for d in sorted(inputs, key=lambda d: d.code) for i in d.indicators]
    submitted = any(k in request.GET for k in ("indicator_0", "weight_indicator"))
    form = WhatIfForm(request.GET if submitted else None, indicators=choices, levels=scheme.levels)
    comparison = None
    if submitted and form.is_valid():
        changed_rules = rules
        weights = form.item_weights()
        if weights is not None:
            changed_rules = replace(
                rules, weight_indicator=weights[0], weight_customer=weights[1], weight_common=weights[2]
            )
        baseline = list(run.rows) if run is not None else scoring.evaluate_rows(inputs, rules)
        after = scoring.evaluate_rows(scoring.apply_changes(inputs, form.changes()), changed_rules)
        comparison = scoring.compare(baseline, after)
    context = {
        "scheme": scheme,
        "run": run,
        "rules": rules,
        "form": form,
        "comparison": comparison,
        "changed_count": sum(1 for r in comparison if r.changed) if comparison else 0,
        "breadcrumbs": year_crumbs(
            scheme, ("평가 결과", reverse("performance:results", args=[year])), ("가정 분석", None)
        ),
    }
    htmx = bool(getattr(request, "htmx", False))
    template = "performance/whatif.html#comparison" if htmx and submitted else "performance/whatif.html"
    return render(request, template, context)


@login_required
def download(request: HttpRequest, year: int, kind: str, fmt: str) -> HttpResponse:
    require(request, VIEW_RESULTS)
    scheme = scheme_or_404(year)
    if kind not in reports.KINDS or fmt not in ("hwpx", "xlsx"):
        raise Http404("찾을 수 없습니다.")
    return report_response(reports.build(scheme, kind), fmt, reports.filename(scheme, kind))


# --- dashboard -------------------------------------------------------------------------------------


def dashboard_visible(user: Any) -> bool:
    """The office and readers of the results see the city's figures; a department user their own."""
    role = role_of(user)
    if role is None:
        return False
    return is_office(user) or role in (Role.EXECUTIVE, Role.AUDIT) or department_of(user) is not None


def dashboard_cards(user: Any) -> list[Card]:
    role = role_of(user)
    if role is None:
        return []
    counts = selectors.pending_counts_for(user)
    if not counts:
        return []
    year = counts["year"]
    if is_office(user):
        return [
            Card(
                "지표 승인 요청",
                counts["sets_submitted"],
                reverse("performance:review", args=[year]),
                f"{year}년",
                "warning" if counts["sets_submitted"] else "",
            ),
            Card(
                "확인할 실적",
                counts["actuals_submitted"],
                reverse("performance:review", args=[year]),
                f"{year}년 분기 실적",
                "warning" if counts["actuals_submitted"] else "",
            ),
            Card(
                "평가 결과",
                "확정" if counts["frozen"] else "미확정",
                reverse("performance:results", args=[year]),
                f"{year}년 부서 성과평가",
                "success" if counts["frozen"] else "",
            ),
        ]
    if role in (Role.EXECUTIVE, Role.AUDIT):
        return [
            Card(
                "부서 성과평가",
                "확정" if counts["frozen"] else "미확정",
                reverse("performance:results", args=[year]),
                f"{year}년 결과",
                "success" if counts["frozen"] else "",
            )
        ]
    own = department_of(user)
    if own is None:
        return []
    url = reverse("performance:department", args=[year, own.code])
    return [
        Card(
            "보완 요청 실적",
            counts["actuals_returned"],
            url,
            f"{year}년",
            "danger" if counts["actuals_returned"] else "",
        ),
        Card("작성 중 지표", counts["sets_open"], url, f"{year}년 우리 부서", "warning" if counts["sets_open"] else ""),
    ]
