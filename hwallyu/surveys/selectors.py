"""Reads of the satisfaction survey: rounds, progress, results on 100 points, small groups hidden.

A 5-point answer x counts (x − 1) ÷ 4 × 100 points.  A group (department, petition type, month,
channel, source) with fewer answers than the round's ``min_group_size`` shows no score.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum, prefetch_related_objects

from hwallyu.core.navigation import Card
from hwallyu.notifications.channels import outbox
from hwallyu.org import selectors as org
from hwallyu.surveys import tallies
from hwallyu.surveys.models import (
    AnswerBuffer,
    AnswerItem,
    ImportStatus,
    IncentiveEntry,
    IncentivePayout,
    IncentiveStatus,
    Invitation,
    InvitationStatus,
    KeywordCount,
    Question,
    QuestionKind,
    RegisterEntry,
    RegisterImport,
    RegisterSource,
    ResultCell,
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


def frozen_totals(survey: Survey) -> dict[str, Any] | None:
    """The counts stored when the round closed (see ``services.survey_close``), else None."""
    if survey.status == SurveyStatus.CLOSED and survey.closing_totals:
        return survey.closing_totals
    return None


def surveys_for(user: Any) -> list[Survey]:
    """The rounds the user sees, each with ``invited`` and ``answered_count``.

    Closed rounds carry the counts frozen at closing; the rounds still running are counted in
    one grouped query, whatever the number of rounds and invitations.
    """
    rounds = list(survey_policy.scope(user))
    live = [s.id for s in rounds if frozen_totals(s) is None]
    counts = (
        {
            row["survey_id"]: row
            for row in Invitation.objects.filter(survey_id__in=live)
            .order_by()
            .values("survey_id")
            .annotate(
                invited=Count("status", filter=Q(status=InvitationStatus.QUEUED)),
                answered=Count("status", filter=Q(answered=True)),
            )
        }
        if live
        else {}
    )
    for s in rounds:
        frozen = frozen_totals(s)
        row = frozen["invitations"] if frozen else counts.get(s.id, {})
        s.invited = row.get("queued" if frozen else "invited", 0)  # type: ignore[attr-defined]
        s.answered_count = row.get("answered", 0)  # type: ignore[attr-defined]
    return rounds


def imports_of(survey: Survey) -> QuerySet[RegisterImport]:
    return survey.imports.select_related("created_by").all()


def scale_questions(survey: Survey) -> list[Question]:
    return [q for q in survey.questions.all() if q.kind == QuestionKind.SCALE5]


# --- progress ---------------------------------------------------------------------------------


def register_counts(survey: Survey) -> list[dict[str, Any]]:
    """Register rows per source: all, processed, with a mobile number (counted in the table)."""
    rows = (
        RegisterEntry.objects.filter(survey=survey)
        .order_by()
        .values("source")
        .annotate(
            n=Count("id"),
            processed=Count("id", filter=Q(processed_at__isnull=False)),
            mobile=Count("id", filter=~Q(phone_hash="")),
        )
    )
    return sorted(rows, key=lambda r: r["source"])


def invitation_counts(survey: Survey) -> dict[str, int]:
    """Invitations prepared, queued, answered and reminded (counted in the table)."""
    # One pass over the round's rows (found by ``invitation_progress_idx``); ``answered`` is in no index on purpose
    # (see ``Invitation.Meta``), and an open round is at most a few months of invitations.
    return Invitation.objects.filter(survey=survey).aggregate(
        prepared=Count("status", filter=Q(status=InvitationStatus.PREPARED)),
        queued=Count("status", filter=Q(status=InvitationStatus.QUEUED)),
        answered=Count("status", filter=Q(answered=True)),
        reminded=Count("status", filter=Q(reminded_at__isnull=False)),
    )


def register_summary(survey: Survey) -> dict[str, Any]:
    running = survey.imports.filter(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]).count()
    frozen = frozen_totals(survey)
    rows = frozen["register"] if frozen and not running else register_counts(survey)
    labels = dict(RegisterSource.choices)
    by_source = [{**r, "label": labels.get(r["source"], r["source"])} for r in rows]
    return {
        "by_source": by_source,
        "total": sum(r["n"] for r in by_source),
        "running_imports": running,
    }


def answers_stored(survey: Survey) -> int:
    """Answers written to the answer table (the running count kept with them)."""
    n = (
        ResultCell.objects.filter(survey=survey, by=tallies.ALL, key="", question__isnull=True)
        .values_list("n", flat=True)
        .first()
    )
    return int(n or 0)


def response_summary(survey: Survey, *, stored: int | None = None) -> dict[str, Any]:
    """Invitations, deliveries, answers (``stored``: the answer count when the caller has read it)."""
    frozen = frozen_totals(survey)
    inv = frozen["invitations"] if frozen else invitation_counts(survey)
    delivery = outbox.delivery_counts(f"survey:{survey.id}:invite:")
    stored = answers_stored(survey) if stored is None else stored
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
#
# Everything below reads the running totals (``ResultCell``), never the answer tables: a round
# with 300,000 answers costs what a round with 30 does.


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


class Cells:
    """A round's running totals, read once: answers per group and (n, sum) per group and question."""

    def __init__(self, survey: Survey) -> None:
        self.counts: dict[str, dict[str, int]] = defaultdict(dict)
        self.items: dict[str, dict[str, dict[int, tuple[int, int]]]] = defaultdict(lambda: defaultdict(dict))
        for by, key, question_id, n, total in ResultCell.objects.filter(survey=survey).values_list(
            "by", "key", "question_id", "n", "total"
        ):
            if question_id is None:
                self.counts[by][key] = n
            else:
                self.items[by][key][question_id] = (n, total)

    def total(self) -> int:
        return self.counts[tallies.ALL].get("", 0)

    @staticmethod
    def score(parts: list[tuple[int, int]], places: Decimal = ONE_PLACE) -> Decimal | None:
        """:func:`to_100` of the mean of these (n, sum) parts, exactly: 25 × (sum − n) ÷ n."""
        n = total = 0
        for part_n, part_total in parts:
            n += part_n
            total += part_total
        if not n:
            return None
        return (Decimal(25 * (total - n)) / n).quantize(places, rounding=ROUND_HALF_UP)


def item_scores(survey: Survey, *, cells: Cells | None = None) -> list[dict[str, Any]]:
    """Each 5-point question: answers and score on 100 points (whole round)."""
    cells = cells or Cells(survey)
    row = cells.items[tallies.ALL][""]
    hidden = cells.total() < survey.min_group_size
    out = []
    for q in scale_questions(survey):
        n, total = row.get(q.id, (0, 0))
        out.append(
            {
                "question": q,
                "code": q.code,
                "label": q.label,
                "n": n,
                "score": None if hidden else Cells.score([(n, total)]),
            }
        )
    return out


def group_scores(
    survey: Survey, by: str, *, cells: Cells | None = None, names: dict[int, str] | None = None
) -> list[dict[str, Any]]:
    """Scores per group; groups under the round's threshold are listed with ``hidden`` and no score."""
    if by not in GROUPINGS:
        raise ValueError(by)
    cells = cells or Cells(survey)
    questions = scale_questions(survey)
    if by == "department" and names is None:
        names = dict(org.departments().values_list("id", "name"))
    rows = []
    for text, n in cells.counts[by].items():
        key = tallies.key_value(by, text)
        per_item = cells.items[by][text]
        hidden = n < survey.min_group_size
        rows.append(
            {
                "key": key,
                "label": _label(by, key, names or {}),
                "n": n,
                "hidden": hidden,
                "scores": [None if hidden else Cells.score([per_item.get(q.id, (0, 0))]) for q in questions],
                "overall": None if hidden else Cells.score([per_item.get(q.id, (0, 0)) for q in questions]),
            }
        )
    if by == "month":
        rows.sort(key=lambda r: r["key"] or dt.date.min)
    else:
        rows.sort(key=lambda r: (r["hidden"], -(r["overall"] or 0), r["label"]))
    return rows


def lowest_items(survey: Survey, *, limit: int = 5, rows: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The weakest department × question scores among groups large enough to show."""
    questions = scale_questions(survey)
    cells = []
    for row in rows if rows is not None else group_scores(survey, "department"):
        if row["hidden"]:
            continue
        for q, score in zip(questions, row["scores"], strict=True):
            if score is not None:
                cells.append({"department": row["label"], "question": q.label, "score": score, "n": row["n"]})
    cells.sort(key=lambda c: (c["score"], c["department"]))
    return cells[:limit]


def bribe_summary(survey: Survey, *, cells: Cells | None = None) -> dict[str, Any]:
    """Answers to the bribe question(s) and how many said yes (value 1; the values are 0 and 1)."""
    if cells is None:
        agg = ResultCell.objects.filter(survey=survey, by=tallies.ALL, key="", question__is_bribe=True).aggregate(
            answered=Sum("n"), yes=Sum("total")
        )
        answered, yes = int(agg["answered"] or 0), int(agg["yes"] or 0)
    else:
        parts = [cells.items[tallies.ALL][""].get(q.id, (0, 0)) for q in survey.questions.all() if q.is_bribe]
        answered, yes = sum(p[0] for p in parts), sum(p[1] for p in parts)
    return {"answered": answered, "yes": yes, "share": percent(yes, answered) or Decimal("0.0")}


def trend(*, until: Survey | None = None) -> list[dict[str, Any]]:
    """Overall and per-question scores of every round that has answers, oldest first (two queries)."""
    rounds = list(
        Survey.objects.exclude(status=SurveyStatus.DRAFT)
        .only("id", "year", "quarter", "title", "status", "min_group_size")
        .order_by("year", "quarter", "id")
    )
    if until is not None:
        rounds = [r for r in rounds if (r.year, r.quarter or 0) <= (until.year, until.quarter or 0)]
    counts: dict[int, int] = {}
    per_code: dict[int, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for survey_id, code, kind, n, total in (
        ResultCell.objects.filter(survey__in=[r.id for r in rounds], by=tallies.ALL, key="")
        .filter(Q(question__isnull=True) | Q(question__kind=QuestionKind.SCALE5))
        .values_list("survey_id", "question__code", "question__kind", "n", "total")
    ):
        if kind is None:
            counts[survey_id] = n
        else:
            per_code[survey_id][code].append((n, total))
    out = []
    for r in rounds:
        n = counts.get(r.id, 0)
        if not n:
            continue
        hidden = n < r.min_group_size
        codes = per_code[r.id]
        out.append(
            {
                "survey": r,
                "label": r.period_label,
                "n": n,
                "overall": None if hidden else Cells.score([p for parts in codes.values() for p in parts]),
                "by_code": {} if hidden else {k: Cells.score(v) for k, v in codes.items()},
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
    """Nouns of the free text and how many answers used them (counted as the answers are stored)."""
    return list(KeywordCount.objects.filter(survey=survey).order_by("-n", "word").values_list("word", "n")[:top])


def results(survey: Survey, *, with_keywords: bool = True) -> dict[str, Any]:
    """Everything the results page, the API and the reports show (a fixed handful of queries)."""
    prefetch_related_objects([survey], "questions")  # every part below reads the questions
    cells = Cells(survey)
    summary = response_summary(survey, stored=cells.total())
    names = dict(org.departments().values_list("id", "name"))
    groups = {by: group_scores(survey, by, cells=cells, names=names) for by in GROUPINGS}
    return {
        "survey": survey,
        "summary": summary,
        "questions": scale_questions(survey),
        "items": item_scores(survey, cells=cells),
        "groups": groups,
        "grouping_labels": GROUPINGS,
        "lowest": lowest_items(survey, rows=groups["department"]),
        "bribe": bribe_summary(survey, cells=cells),
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


def customer_perception_scores(department_ids: list[int], year: int) -> dict[int, Decimal | None]:
    """:func:`customer_perception_score` for many departments at once (two queries)."""
    rounds = list(Survey.objects.filter(year=year).exclude(status=SurveyStatus.DRAFT))
    threshold = max((s.min_group_size for s in rounds), default=None)
    if threshold is None:
        return {d: None for d in department_ids}
    answers: dict[str, int] = defaultdict(int)
    parts: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for key, question_id, n, total in (
        ResultCell.objects.filter(
            survey__in=[r.id for r in rounds], by="department", key__in=[str(d) for d in department_ids]
        )
        .filter(Q(question__isnull=True) | Q(question__kind=QuestionKind.SCALE5))
        .values_list("key", "question_id", "n", "total")
    ):
        if question_id is None:
            answers[key] += n
        else:
            parts[key].append((n, total))
    out: dict[int, Decimal | None] = {}
    for d in department_ids:
        key = str(d)
        out[d] = None if answers[key] < threshold else Cells.score(parts[key], Decimal("0.01"))
    return out


def customer_perception_score(department_id: int, year: int) -> Decimal | None:
    """The department's customer-perception score (고객인식도) for ``year`` on 100 points.

    The mean of every 5-point answer given about the department in that year's rounds, as
    (x − 1) ÷ 4 × 100 with two decimals; ``None`` when there are fewer answers than the rounds'
    small-group threshold (so the performance module shows "no score" rather than a noisy one).
    """
    return customer_perception_scores([department_id], year)[department_id]


def dashboard_visible(user: Any) -> bool:
    return survey_policy.can(user, VIEW)


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
