"""Reads of the satisfaction survey: rounds, progress, results on 100 points, small groups hidden.

A 5-point answer x counts (x − 1) ÷ 4 × 100 points.  A group (department, petition type, month,
channel, source) with fewer answers than the round's ``min_group_size`` shows no score.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Avg, Count, Q, QuerySet

from hwallyu.core.navigation import Card
from hwallyu.notifications.channels import outbox
from hwallyu.org import selectors as org
from hwallyu.surveys.models import (
    Answer,
    AnswerBuffer,
    AnswerItem,
    ImportStatus,
    IncentiveEntry,
    IncentivePayout,
    IncentiveStatus,
    Invitation,
    InvitationStatus,
    Question,
    QuestionKind,
    RegisterEntry,
    RegisterImport,
    RegisterSource,
    Survey,
    SurveyStatus,
)
from hwallyu.surveys.policies import VIEW, survey_policy

ONE_PLACE = Decimal("0.1")
GROUPINGS = {
    "department": "부서별",
    "petition_type": "민원 종류별",
    "month": "월별",
    "channel": "안내 경로별",
    "source": "명부별",
}
CHANNEL_LABELS = {"alimtalk": "알림톡", "sms": "문자(SMS)", "lms": "문자(LMS)", "": "확인 안 됨"}


def to_100(average: Any, places: Decimal = ONE_PLACE) -> Decimal | None:
    """A 5-point average on 100 points: (x − 1) ÷ 4 × 100."""
    if average is None:
        return None
    return ((Decimal(str(average)) - 1) / 4 * 100).quantize(places, rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


# --- lists ------------------------------------------------------------------------------------


def surveys_for(user: Any) -> QuerySet[Survey]:
    return survey_policy.scope(user).annotate(
        invited=Count("invitations", filter=Q(invitations__status=InvitationStatus.QUEUED), distinct=True),
        answered_count=Count("invitations", filter=Q(invitations__answered=True), distinct=True),
    )


def imports_of(survey: Survey) -> QuerySet[RegisterImport]:
    return survey.imports.select_related("created_by").all()


def scale_questions(survey: Survey) -> list[Question]:
    return [q for q in survey.questions.all() if q.kind == QuestionKind.SCALE5]


# --- progress ---------------------------------------------------------------------------------


def register_summary(survey: Survey) -> dict[str, Any]:
    rows = (
        RegisterEntry.objects.filter(survey=survey)
        .values("source")
        .annotate(
            n=Count("id"),
            processed=Count("id", filter=Q(processed_at__isnull=False)),
            mobile=Count("id", filter=~Q(phone_hash="")),
        )
    )
    labels = dict(RegisterSource.choices)
    by_source = [{**r, "label": labels.get(r["source"], r["source"])} for r in rows.order_by("source")]
    return {
        "by_source": by_source,
        "total": sum(r["n"] for r in by_source),
        "running_imports": survey.imports.filter(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]).count(),
    }


def response_summary(survey: Survey) -> dict[str, Any]:
    inv = Invitation.objects.filter(survey=survey).aggregate(
        prepared=Count("id", filter=Q(status=InvitationStatus.PREPARED)),
        queued=Count("id", filter=Q(status=InvitationStatus.QUEUED)),
        answered=Count("id", filter=Q(answered=True)),
        reminded=Count("id", filter=Q(reminded_at__isnull=False)),
    )
    delivery = outbox.delivery_counts(f"survey:{survey.id}:invite:")
    stored = Answer.objects.filter(survey=survey).count()
    buffered = AnswerBuffer.objects.filter(survey=survey).count()
    base = delivery["delivered"] or inv["queued"]
    return {
        **inv,
        "delivery": delivery,
        "fallback": delivery["sms"] + delivery["lms"],
        "stored": stored,
        "buffered": buffered,
        "rate": percent(inv["answered"], base),
        "rate_base": "전달" if delivery["delivered"] else "발송 요청",
    }


# --- results ----------------------------------------------------------------------------------


def _label(by: str, key: Any, names: dict[int, str]) -> str:
    if by == "department":
        return names.get(key, "(부서 없음)") if key else "(부서 없음)"
    if by == "month":
        return f"{key:%Y-%m}" if key else "-"
    if by == "channel":
        return CHANNEL_LABELS.get(key or "", key)
    if by == "source":
        return dict(RegisterSource.choices).get(key, key or "-")
    return key or "(미기재)"


def item_scores(survey: Survey) -> list[dict[str, Any]]:
    """Each 5-point question: answers and score on 100 points (whole round)."""
    rows = {
        r["question_id"]: r
        for r in AnswerItem.objects.filter(answer__survey=survey, question__kind=QuestionKind.SCALE5)
        .values("question_id")
        .annotate(avg=Avg("value"), n=Count("id"))
    }
    total = Answer.objects.filter(survey=survey).count()
    hidden = total < survey.min_group_size
    out = []
    for q in scale_questions(survey):
        row = rows.get(q.id, {})
        out.append(
            {
                "question": q,
                "code": q.code,
                "label": q.label,
                "n": row.get("n", 0),
                "score": None if hidden else to_100(row.get("avg")),
            }
        )
    return out


def group_scores(survey: Survey, by: str) -> list[dict[str, Any]]:
    """Scores per group; groups under the round's threshold are listed with ``hidden`` and no score."""
    if by not in GROUPINGS:
        raise ValueError(by)
    questions = scale_questions(survey)
    counts = {r[by]: r["n"] for r in Answer.objects.filter(survey=survey).order_by().values(by).annotate(n=Count("id"))}
    per_item: dict[Any, dict[int, Any]] = defaultdict(dict)
    for r in (
        AnswerItem.objects.filter(answer__survey=survey, question__kind=QuestionKind.SCALE5)
        .order_by()
        .values(f"answer__{by}", "question_id")
        .annotate(avg=Avg("value"))
    ):
        per_item[r[f"answer__{by}"]][r["question_id"]] = r["avg"]
    overall = {
        r[f"answer__{by}"]: r["avg"]
        for r in AnswerItem.objects.filter(answer__survey=survey, question__kind=QuestionKind.SCALE5)
        .order_by()
        .values(f"answer__{by}")
        .annotate(avg=Avg("value"))
    }
    names = dict(org.departments().values_list("id", "name")) if by == "department" else {}
    rows = []
    for key, n in counts.items():
        hidden = n < survey.min_group_size
        rows.append(
            {
                "key": key,
                "label": _label(by, key, names),
                "n": n,
                "hidden": hidden,
                "scores": [None if hidden else to_100(per_item[key].get(q.id)) for q in questions],
                "overall": None if hidden else to_100(overall.get(key)),
            }
        )
    if by == "month":
        rows.sort(key=lambda r: r["key"] or "")
    else:
        rows.sort(key=lambda r: (r["hidden"], -(r["overall"] or 0), r["label"]))
    return rows


def lowest_items(survey: Survey, *, limit: int = 5) -> list[dict[str, Any]]:
    """The weakest department × question scores among groups large enough to show."""
    questions = scale_questions(survey)
    cells = []
    for row in group_scores(survey, "department"):
        if row["hidden"]:
            continue
        for q, score in zip(questions, row["scores"], strict=True):
            if score is not None:
                cells.append({"department": row["label"], "question": q.label, "score": score, "n": row["n"]})
    cells.sort(key=lambda c: (c["score"], c["department"]))
    return cells[:limit]


def bribe_summary(survey: Survey) -> dict[str, Any]:
    agg = AnswerItem.objects.filter(answer__survey=survey, question__is_bribe=True).aggregate(
        answered=Count("id", filter=Q(value__isnull=False)), yes=Count("id", filter=Q(value=1))
    )
    answered, yes = int(agg["answered"] or 0), int(agg["yes"] or 0)
    return {"answered": answered, "yes": yes, "share": percent(yes, answered) or Decimal("0.0")}


def trend(*, until: Survey | None = None) -> list[dict[str, Any]]:
    """Overall and per-question scores of every round that has answers, oldest first."""
    rounds = list(Survey.objects.exclude(status=SurveyStatus.DRAFT).order_by("year", "quarter", "id"))
    if until is not None:
        rounds = [r for r in rounds if (r.year, r.quarter or 0) <= (until.year, until.quarter or 0)]
    out = []
    for r in rounds:
        n = Answer.objects.filter(survey=r).count()
        if not n:
            continue
        hidden = n < r.min_group_size
        per_code = {
            row["question__code"]: row["avg"]
            for row in AnswerItem.objects.filter(answer__survey=r, question__kind=QuestionKind.SCALE5)
            .values("question__code")
            .annotate(avg=Avg("value"))
        }
        overall = AnswerItem.objects.filter(answer__survey=r, question__kind=QuestionKind.SCALE5).aggregate(
            avg=Avg("value")
        )["avg"]
        out.append(
            {
                "survey": r,
                "label": r.period_label,
                "n": n,
                "overall": None if hidden else to_100(overall),
                "by_code": {} if hidden else {k: to_100(v) for k, v in per_code.items()},
            }
        )
    return out


def free_texts(survey: Survey) -> list[str]:
    return list(
        AnswerItem.objects.filter(answer__survey=survey, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .values_list("text", flat=True)
    )


def keyword_summary(survey: Survey, *, top: int = 30) -> list[tuple[str, int]]:
    """Nouns of the free text, counted (cached until the number of texts changes)."""
    texts = free_texts(survey)
    key = f"surveys:keywords:{survey.id}:{len(texts)}:{top}"
    cached = cache.get(key)
    if cached is not None:
        return [tuple(x) for x in cached]  # type: ignore[misc]
    from hwallyu.surveys.keywords import keywords

    result = keywords(texts, top=top)
    cache.set(key, result, 3600)
    return result


def results(survey: Survey, *, with_keywords: bool = True) -> dict[str, Any]:
    """Everything the results page, the API and the reports show."""
    summary = response_summary(survey)
    items = item_scores(survey)
    return {
        "survey": survey,
        "summary": summary,
        "questions": scale_questions(survey),
        "items": items,
        "groups": {by: group_scores(survey, by) for by in GROUPINGS},
        "grouping_labels": GROUPINGS,
        "lowest": lowest_items(survey),
        "bribe": bribe_summary(survey),
        "trend": trend(until=survey),
        "keywords": keyword_summary(survey) if with_keywords else [],
        "threshold": survey.min_group_size,
        "answers": summary["stored"],
    }


# --- charts (Chart.js, drawn by app.js from <canvas data-chart>) ------------------------------


def _chart(kind: str, labels: list[str], datasets: list[dict[str, Any]], *, horizontal: bool = False) -> str:
    font = {"family": "'Pretendard GOV', 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif", "size": 13}
    options: dict[str, Any] = {
        "font": font,
        "responsive": True,
        "maintainAspectRatio": False,
        "scales": {
            ("x" if horizontal else "y"): {"min": 0, "max": 100, "ticks": {"font": font}},
            ("y" if horizontal else "x"): {"ticks": {"font": font}},
        },
        "plugins": {"legend": {"display": len(datasets) > 1, "labels": {"font": font}}},
    }
    if horizontal:
        options["indexAxis"] = "y"
    return json.dumps(
        {"type": kind, "data": {"labels": labels, "datasets": datasets}, "options": options}, ensure_ascii=False
    )


def chart_items(items: list[dict[str, Any]]) -> str:
    return _chart(
        "bar",
        [i["question"].label[:14] for i in items],
        [
            {
                "label": "점수(100점)",
                "data": [float(i["score"]) if i["score"] is not None else None for i in items],
                "backgroundColor": "#256ef4",
            }
        ],
    )


def chart_groups(rows: list[dict[str, Any]]) -> str:
    shown = [r for r in rows if not r["hidden"]]
    return _chart(
        "bar",
        [r["label"] for r in shown],
        [{"label": "종합 점수", "data": [float(r["overall"]) for r in shown], "backgroundColor": "#0b50d0"}],
        horizontal=True,
    )


def chart_trend(rows: list[dict[str, Any]]) -> str:
    return _chart(
        "line",
        [r["label"] for r in rows],
        [
            {
                "label": "종합 점수",
                "data": [float(r["overall"]) if r["overall"] is not None else None for r in rows],
                "borderColor": "#063a74",
                "backgroundColor": "#063a74",
            }
        ],
    )


# --- incentives -------------------------------------------------------------------------------


def incentive_summary(survey: Survey) -> dict[str, Any]:
    counts = dict(IncentiveEntry.objects.filter(survey=survey).order_by().values_list("status").annotate(n=Count("id")))
    spent = sum(IncentivePayout.objects.filter(survey=survey).values_list("amount", flat=True))
    return {
        "entered": counts.get(IncentiveStatus.ENTERED, 0),
        "won": counts.get(IncentiveStatus.WON, 0),
        "paid": counts.get(IncentiveStatus.PAID, 0),
        "not_selected": counts.get(IncentiveStatus.NOT_SELECTED, 0),
        "with_contact": IncentiveEntry.objects.filter(survey=survey).exclude(contact="").count(),
        "budget": survey.incentive_budget,
        "spent": spent,
        "remaining": survey.incentive_budget - spent,
    }


def payouts(survey: Survey) -> QuerySet[IncentivePayout]:
    return IncentivePayout.objects.filter(survey=survey).select_related("paid_by")


def winners(survey: Survey) -> QuerySet[IncentiveEntry]:
    return IncentiveEntry.objects.filter(survey=survey, status=IncentiveStatus.WON).order_by("id")


# --- for other modules ---------------------------------------------------------------------------


def customer_perception_score(department_id: int, year: int) -> Decimal | None:
    """The department's customer-perception score (고객인식도) for ``year`` on 100 points.

    The mean of every 5-point answer given about the department in that year's rounds, as
    (x − 1) ÷ 4 × 100 with two decimals; ``None`` when there are fewer answers than the rounds'
    small-group threshold (so the performance module shows "no score" rather than a noisy one).
    """
    rounds = Survey.objects.filter(year=year).exclude(status=SurveyStatus.DRAFT)
    threshold = max((s.min_group_size for s in rounds), default=None)
    if threshold is None:
        return None
    answers = Answer.objects.filter(survey__in=rounds, department_id=department_id).count()
    if answers < threshold:
        return None
    avg = AnswerItem.objects.filter(
        answer__survey__in=rounds, answer__department_id=department_id, question__kind=QuestionKind.SCALE5
    ).aggregate(avg=Avg("value"))["avg"]
    return to_100(avg, Decimal("0.01"))


def dashboard_cards(user: Any) -> list[Card]:
    if not survey_policy.can(user, VIEW):
        return []
    survey = Survey.objects.filter(status=SurveyStatus.OPEN).order_by("-year", "-quarter").first()
    if survey is None:
        return []
    summary = response_summary(survey)
    bribe = bribe_summary(survey)
    url = f"/surveys/{survey.id}/"
    cards = [
        Card("응답률", f"{summary['rate']}%" if summary["rate"] is not None else "-", url, survey.title),
        Card("응답", f"{summary['answered']:,}건", url, f"안내 {summary['queued']:,}건"),
    ]
    if bribe["yes"]:
        cards.append(
            Card(
                "금품·향응 요구 응답",
                f"{bribe['yes']}건",
                f"/surveys/{survey.id}/results/",
                f"{bribe['share']}%",
                "danger",
            )
        )
    return cards
