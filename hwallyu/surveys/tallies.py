"""Running totals of the stored answers (``ResultCell``) and of the nouns of their free text
(``KeywordCount``), so the results pages, the trend and the performance hook read a few hundred
rows instead of scanning hundreds of thousands of answers.

``add`` is called by ``services.answers_flush`` in the transaction that stores a shuffled batch
(the only way answers reach the tables), under a lock on the round's row, so the totals always
equal the tables.  ``rebuild`` recomputes a round's totals from the tables (migrations, repairs).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.apps import apps as django_apps
from django.db.models import Count, Sum

ALL = "all"
# The groupings the results show, in the results' order; each is a field of ``Answer``.
DIMENSIONS = ("department", "petition_type", "month", "channel", "source")
WORD_LENGTH = 100


def key_text(by: str, value: Any) -> str:
    """A grouping value as the text kept in ``ResultCell.key`` ("" for none)."""
    if value is None:
        return ""
    if by == "month":
        return value.isoformat()
    return str(value)


def key_value(by: str, text: str) -> Any:
    """The inverse of :func:`key_text`: the value ``Answer`` holds for the group."""
    import datetime as dt

    if by == "department":
        return int(text) if text else None
    if by == "month":
        return dt.date.fromisoformat(text) if text else None
    return text


def answer_keys(answer: Any) -> list[tuple[str, str]]:
    values = [getattr(answer, "department_id" if by == "department" else by) for by in DIMENSIONS]
    return [(ALL, "")] + [(by, key_text(by, v)) for by, v in zip(DIMENSIONS, values, strict=True)]


class Tally:
    """Deltas of one batch: ``counts[(by, key)]`` answers, ``items[(by, key, question_id)] = [n, total]``."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()
        self.items: dict[tuple[str, str, int], list[int]] = {}
        self.words: Counter[str] = Counter()

    def answer(self, keys: list[tuple[str, str]], values: Iterable[tuple[int, int | None]]) -> None:
        """One answer with its ``(question_id, value or None for a text)`` items."""
        for key in keys:
            self.counts[key] += 1
        for question_id, value in values:
            for by, group_key in keys:
                cell = self.items.get((by, group_key, question_id))
                if cell is None:
                    cell = self.items[(by, group_key, question_id)] = [0, 0]
                cell[0] += 1
                cell[1] += value or 0

    def group(self, keys: list[tuple[str, str]], answers: int, items: dict[int, list[int]]) -> None:
        """``answers`` answers sharing ``keys``, with ``items[question_id] = [n, total]``."""
        for key in keys:
            self.counts[key] += answers
        for question_id, (n, total) in items.items():
            for by, group_key in keys:
                cell = self.items.get((by, group_key, question_id))
                if cell is None:
                    cell = self.items[(by, group_key, question_id)] = [0, 0]
                cell[0] += n
                cell[1] += total

    def texts(self, texts: list[str]) -> None:
        """Count the nouns of these free-text answers (each text counts a noun once)."""
        if texts:
            from hwallyu.surveys.keywords import keywords

            for word, n in keywords(texts, top=None):
                self.words[word[:WORD_LENGTH]] += n


def apply(survey_id: int, tally: Tally, *, apps: Any = None) -> None:
    """Add a batch's deltas to the round's cells and keyword counts (the caller holds the round's lock)."""
    get = (apps or django_apps).get_model
    cell_model = get("surveys", "ResultCell")
    word_model = get("surveys", "KeywordCount")
    existing = {(c.by, c.key, c.question_id): c for c in cell_model.objects.filter(survey_id=survey_id)}
    changed, new = [], []
    deltas: list[tuple[tuple[str, str, int | None], int, int]] = [
        ((by, key, None), n, 0) for (by, key), n in tally.counts.items()
    ]
    deltas += [(key, n, total) for key, (n, total) in tally.items.items()]
    for (by, key, question_id), n, total in deltas:
        cell = existing.get((by, key, question_id))
        if cell is None:
            new.append(cell_model(survey_id=survey_id, by=by, key=key, question_id=question_id, n=n, total=total))
        else:
            cell.n += n
            cell.total += total
            changed.append(cell)
    if changed:
        cell_model.objects.bulk_update(changed, ["n", "total"], batch_size=500)
    if new:
        cell_model.objects.bulk_create(new, batch_size=1000)
    if tally.words:
        have = {w.word: w for w in word_model.objects.filter(survey_id=survey_id, word__in=list(tally.words))}
        update, create = [], []
        for word, n in tally.words.items():
            row = have.get(word)
            if row is None:
                create.append(word_model(survey_id=survey_id, word=word, n=n))
            else:
                row.n += n
                update.append(row)
        if update:
            word_model.objects.bulk_update(update, ["n"], batch_size=500)
        if create:
            word_model.objects.bulk_create(create, batch_size=1000)


def rebuild(survey_id: int, *, apps: Any = None, with_keywords: bool = True) -> None:
    """Recompute a round's cells (and keyword counts) from the answer tables, set-based."""
    get = (apps or django_apps).get_model
    answer_model = get("surveys", "Answer")
    item_model = get("surveys", "AnswerItem")
    cell_model = get("surveys", "ResultCell")
    word_model = get("surveys", "KeywordCount")
    cell_model.objects.filter(survey_id=survey_id).delete()
    cells = []
    answers = answer_model.objects.filter(survey_id=survey_id).order_by()
    items = item_model.objects.filter(answer__survey_id=survey_id).order_by()
    total = answers.count()
    if total:
        cells.append(cell_model(survey_id=survey_id, by=ALL, key="", n=total))
        for row in items.values("question_id").annotate(n=Count("id"), total=Sum("value")):
            question_id, n, sum_ = row["question_id"], row["n"], row["total"] or 0
            cells.append(cell_model(survey_id=survey_id, by=ALL, key="", question_id=question_id, n=n, total=sum_))
    for by in DIMENSIONS:
        field = "department_id" if by == "department" else by
        for row in answers.values(field).annotate(n=Count("id")):
            cells.append(cell_model(survey_id=survey_id, by=by, key=key_text(by, row[field]), n=row["n"]))
        for row in items.values(f"answer__{field}", "question_id").annotate(n=Count("id"), total=Sum("value")):
            cells.append(
                cell_model(
                    survey_id=survey_id,
                    by=by,
                    key=key_text(by, row[f"answer__{field}"]),
                    question_id=row["question_id"],
                    n=row["n"],
                    total=row["total"] or 0,
                )
            )
    cell_model.objects.bulk_create(cells, batch_size=1000)
    if with_keywords:
        word_model.objects.filter(survey_id=survey_id).delete()
        tally = Tally()
        tally.texts(list(items.exclude(text="").values_list("text", flat=True)))
        word_model.objects.bulk_create(
            [word_model(survey_id=survey_id, word=w, n=n) for w, n in tally.words.items()], batch_size=1000
        )
