"""A 2024 Q2 review round over two targets: one of org.dept and one of org.other_dept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hwallyu.core.testing import TestOrg
from hwallyu.reviews import services
from hwallyu.reviews.models import Submission
from hwallyu.workplan.tests.factories import PlanFixture, make_plan


@dataclass
class ReviewFixture:
    plan: PlanFixture
    target: Any
    other_target: Any
    round: Any
    submission: Any
    other_submission: Any


def make_review(org: TestOrg, *, open_round: bool = True) -> ReviewFixture:
    plan = make_plan(org)  # org.dept's project: months 3, 6, 9, 12 → 50 % planned on 30 June
    target = services.target_create(year=2024, project=plan.project, actor=org.planner)
    other = services.target_create(year=2024, project=plan.other_project, actor=org.planner)
    round_ = services.round_create(year=2024, kind="quarterly", quarter=2, actor=org.planner)
    if open_round:
        round_ = services.round_open(round_=round_, actor=org.planner)
    submission = Submission.objects.filter(round=round_, target=target).first()
    other_submission = Submission.objects.filter(round=round_, target=other).first()
    return ReviewFixture(plan, target, other, round_, submission, other_submission)
