"""The scoring rules on plain values: a worked example checked by hand, the zero/missing rules,
and properties (hypothesis) of quotas, monotonicity and determinism."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from hwallyu.performance import scoring
from hwallyu.performance.scoring import (
    FALLING,
    QUALITATIVE,
    RISING,
    DepartmentInput,
    GradeRule,
    IndicatorInput,
    Rules,
)

RULES = Rules()  # 70/20/10, cap 120, bonus ≤ 3, penalty ≤ 3, S 20 / A 40 / B 30 / C 10, pay 172.5/125/85/0


def ind(id, target, actual, weight, direction=RISING, **kw):
    return IndicatorInput(
        id=id,
        name=f"지표{id}",
        weight=D(weight),
        direction=direction,
        target=None if target is None else D(str(target)),
        actual=None if actual is None else D(str(actual)),
        **kw,
    )


def dept(code, indicators, customer, common, bonus=0, penalty=0, group="G1"):
    return DepartmentInput(
        id=int(code[1:]),
        code=code,
        name=f"부서{code}",
        group=group,
        group_name="본청 사업부서" if group == "G1" else "읍면동",
        indicators=tuple(indicators),
        customer=None if customer is None else D(str(customer)),
        common_points=D(str(common)),
        common_max=D(10),
        bonus=D(str(bonus)),
        penalty=D(str(penalty)),
    )


def seven_departments():
    return [
        # D1: I1 rising 110/100 = 110.00 %; I2 falling 5/4 = 125.00 % → cap 120.00 %
        #     mean (60×110 + 40×120) ÷ 100 = 114.00 → 70 × 114 ÷ 100 = 79.80
        #     customer 20 × 90 ÷ 100 = 18.00; common 10 × 8 ÷ 10 = 8.00; bonus 1
        #     total 79.80 + 18.00 + 8.00 + 1 = 106.80
        dept("D1", [ind(11, 100, 110, 60), ind(12, 5, 4, 40, FALLING)], customer=90, common=8, bonus=1),
        # D2: I1 rising 190/200 = 95.00 %; I2 qualitative '우수' = 90 points
        #     mean (50×95 + 50×90) ÷ 100 = 92.50 → 70 × 92.5 ÷ 100 = 64.75
        #     customer 17.00; common 9.00 → total 90.75
        dept(
            "D2",
            [
                ind(21, 200, 190, 50),
                IndicatorInput(22, "정성", D(50), kind=QUALITATIVE, level="우수", level_points=D(90)),
            ],
            customer=85,
            common=9,
        ),
        # D3: I1 rising 2/3 = 66.666… → 66.67 %; 70 × 66.67 ÷ 100 = 46.669 → 46.67
        #     customer 16.00; common 7.00; penalty 2 → total 67.67
        dept("D3", [ind(31, 3, 2, 100)], customer=80, common=7, penalty=2),
        # D4: 100/100 = 100.00 % → 70.00; customer 15.00; common 5.00 → total 90.00
        dept("D4", [ind(41, 100, 100, 100)], customer=75, common=5),
        # D5: 95/100 = 95.00 % → 66.50; customer 17.00; common 6.50 → total 90.00 (ties with D4)
        dept("D5", [ind(51, 100, 95, 100)], customer=85, common="6.5"),
        # D6: I1 actual missing → 0 % (flagged); I2 12/10 = 120.00 %
        #     mean (70×0 + 30×120) ÷ 100 = 36.00 → 25.20; customer missing → 0 (flagged); common 10.00
        #     total 35.20
        dept("D6", [ind(61, 50, None, 70), ind(62, 10, 12, 30)], customer=None, common=10),
        # D7: I1 falling with actual 0 → the cap 120 %; I2 84/80 = 105.00 %
        #     mean (50×120 + 50×105) ÷ 100 = 112.50 → 78.75; customer 14.00; common 4.00
        #     bonus 5 entered, 3 allowed → total 78.75 + 14 + 4 + 3 = 99.75
        dept("D7", [ind(71, 2, 0, 50, FALLING), ind(72, 80, 84, 50)], customer=70, common=4, bonus=5),
    ]


def test_seven_departments_worked_by_hand():
    rows = {r["department"]: r for r in scoring.evaluate_rows(seven_departments(), RULES)}
    assert {c: rows[c]["score"] for c in rows} == {
        "D1": "106.80",
        "D2": "90.75",
        "D3": "67.67",
        "D4": "90.00",
        "D5": "90.00",
        "D6": "35.20",
        "D7": "99.75",
    }
    # Order: D1 106.80, D7 99.75, D2 90.75, D4 90.00, D5 90.00, D3 67.67, D6 35.20.
    # Equal totals share a rank: D4 and D5 are both 4th; D3 is 6th.
    assert {c: rows[c]["rank"] for c in rows} == {"D1": 1, "D7": 2, "D2": 3, "D4": 4, "D5": 4, "D3": 6, "D6": 7}
    # Seats for 7 (largest remainder): exact 1.4 / 2.8 / 2.1 / 0.7 → floors 1/2/2/0 (5 seats), the two
    # left go to A (.8) and C (.7) → S 1, A 3, B 2, C 1.  The tie D4/D5 sits on the A/B boundary: the
    # last A seat goes to D4 (indicator achievement 100 % > 95 %), D5 gets B.
    assert {c: rows[c]["grade"] for c in rows} == {
        "D1": "S",
        "D7": "A",
        "D2": "A",
        "D4": "A",
        "D5": "B",
        "D3": "B",
        "D6": "C",
    }
    assert rows["D1"]["pay_rate"] == "172.50" and rows["D5"]["pay_rate"] == "85.00" and rows["D6"]["pay_rate"] == "0.00"
    assert "동점" in rows["D4"]["tie_note"] and "동점" in rows["D5"]["tie_note"] and rows["D1"]["tie_note"] == ""

    # every number explains itself
    d1 = rows["D1"]["items"]
    assert d1["indicator"]["basis"] == "114.00" and d1["indicator"]["score"] == "79.80"
    capped = d1["indicator"]["indicators"][1]
    assert capped["raw"] == "125.00" and capped["achievement"] == "120.00" and capped["capped"] is True
    assert capped["formula"] == "목표 5 ÷ 실적 4 × 100 = 125.00%"
    assert d1["customer"]["score"] == "18.00" and d1["common"]["score"] == "8.00" and d1["bonus"]["score"] == "1.00"
    d6 = rows["D6"]
    assert d6["items"]["indicator"]["indicators"][0]["flag"] == scoring.FLAG_NO_ACTUAL
    assert d6["items"]["customer"]["flag"] == scoring.FLAG_NO_CUSTOMER
    assert len(d6["flags"]) == 2
    d7 = rows["D7"]
    assert d7["items"]["indicator"]["indicators"][0]["flag"] == scoring.FLAG_ZERO_FALLING
    assert d7["items"]["bonus"] == {"label": "가점", "score": "3.00", "entered": "5.00"}
    assert d7["adjustments"] == ["가점 5점 → 한도 3점 적용"]
    assert rows["D3"]["items"]["indicator"]["score"] == "46.67"


def test_achievement_rules_never_crash():
    cap = D(120)
    assert scoring.achievement(ind(1, 0, 5, 10), cap).flag == scoring.FLAG_NO_TARGET
    assert scoring.achievement(ind(1, None, 5, 10), cap).value == 0
    assert scoring.achievement(ind(1, 10, -5, 10), cap).value == 0  # never below 0
    assert scoring.achievement(ind(1, 10, -5, 10, FALLING), cap).value == cap  # actual ≤ 0 on a falling one
    qualitative = IndicatorInput(1, "정성", D(10), kind=QUALITATIVE)
    assert scoring.achievement(qualitative, cap).flag == scoring.FLAG_NO_GRADE
    assert scoring.achievement(ind(1, 3, 1, 10, FALLING), cap).value == cap  # 300 % → capped
    empty = scoring.score_department(dept("D9", [], customer=None, common=0), RULES)
    assert empty.total == 0 and empty.item("indicator").flag == scoring.FLAG_NO_INDICATORS


def test_rounding_is_half_up():
    # 1/8 = 12.5 %; 70 × 12.5 ÷ 100 = 8.75 exactly; 1.005 % → 1.01 (half up, not banker's)
    assert scoring.q2(D("1.005")) == D("1.01") and scoring.q2(D("2.675")) == D("2.68")


def test_quota_counts_examples():
    grades = RULES.grades
    assert scoring.quota_counts(7, grades) == {"S": 1, "A": 3, "B": 2, "C": 1}
    assert scoring.quota_counts(5, grades) == {"S": 1, "A": 2, "B": 2, "C": 0}  # B .5 and C .5: B first
    assert scoring.quota_counts(0, grades) == {"S": 0, "A": 0, "B": 0, "C": 0}
    no_c = (
        GradeRule("S", D(30), D(1)),
        GradeRule("A", D(50), D(1)),
        GradeRule("B", D(20), D(1)),
        GradeRule("C", D(0), D(0)),
    )
    assert scoring.quota_counts(15, no_c)["C"] == 0


def test_frozen_rows_rebuild_their_inputs():
    rows = scoring.evaluate_rows(seven_departments(), RULES)
    again = scoring.evaluate_rows(scoring.inputs_from_rows(rows), RULES)
    assert again == rows


def test_what_if_changes_one_actual_and_compares():
    departments = seven_departments()
    before = scoring.evaluate_rows(departments, RULES)
    # D5's actual 95 → 100: achievement 100 %, 70.00 + 17.00 + 6.50 = 93.50 → above D2 (90.75)
    after = scoring.evaluate_rows(scoring.apply_changes(departments, [scoring.Change(51, actual=D(100))]), RULES)
    rows = {r.department: r for r in scoring.compare(before, after)}
    assert rows["D5"].after["score"] == "93.50" and rows["D5"].after["rank"] == 3 and rows["D5"].after["grade"] == "A"
    assert rows["D4"].after["grade"] == "B" and rows["D4"].changed
    assert not rows["D1"].changed
    assert before == scoring.evaluate_rows(departments, RULES)  # the inputs were not touched


# --- properties ------------------------------------------------------------------------------------

amounts = st.decimals(min_value=D("0.01"), max_value=D(1000), places=2, allow_nan=False, allow_infinity=False)
maybe_amount = st.one_of(st.none(), st.decimals(min_value=D(0), max_value=D(1500), places=2))


@st.composite
def indicators(draw, start_id=1):
    n = draw(st.integers(min_value=1, max_value=4))
    out = []
    for i in range(n):
        out.append(
            IndicatorInput(
                id=start_id + i,
                name=f"지표{i}",
                weight=draw(st.decimals(min_value=D(1), max_value=D(100), places=0)),
                direction=draw(st.sampled_from([RISING, FALLING])),
                target=draw(amounts),
                actual=draw(maybe_amount),
            )
        )
    return tuple(out)


@st.composite
def departments(draw, max_size=30):
    n = draw(st.integers(min_value=0, max_value=max_size))
    out = []
    for i in range(n):
        out.append(
            DepartmentInput(
                id=i + 1,
                code=f"D{i + 1:03d}",
                name=f"부서{i}",
                group=draw(st.sampled_from(["G1", "G2", "G3"])),
                indicators=draw(indicators(start_id=(i + 1) * 10)),
                customer=draw(st.one_of(st.none(), st.decimals(min_value=D(0), max_value=D(100), places=2))),
                common_points=draw(st.decimals(min_value=D(0), max_value=D(10), places=1)),
                common_max=D(10),
                bonus=draw(st.decimals(min_value=D(0), max_value=D(5), places=1)),
                penalty=draw(st.decimals(min_value=D(0), max_value=D(5), places=1)),
            )
        )
    return out


@st.composite
def quota_rules(draw):
    """2–5 grades whose quotas (two decimals) add up to 100."""
    k = draw(st.integers(min_value=2, max_value=5))
    cuts = sorted(draw(st.lists(st.integers(min_value=0, max_value=10000), min_size=k - 1, max_size=k - 1)))
    bounds = [0, *cuts, 10000]
    quotas = [D(bounds[i + 1] - bounds[i]) / 100 for i in range(k)]
    return Rules(grades=tuple(GradeRule("SABCDE"[i], q, D(100)) for i, q in enumerate(quotas)))


@settings(max_examples=150, deadline=None)
@given(departments(), quota_rules())
def test_grade_counts_per_group_always_match_the_quotas(deps, rules):
    rows = scoring.evaluate_rows(deps, rules)
    for group in {d.group for d in deps}:
        members = [r for r in rows if r["group"] == group]
        n = len(members)
        expected = scoring.quota_counts(n, rules.grades)
        counts = {g.code: sum(1 for r in members if r["grade"] == g.code) for g in rules.grades}
        assert counts == expected
        # Hamilton: each count is the floor or the ceiling of the exact share, and they add up to n
        exact = {g.code: D(n) * g.quota / 100 for g in rules.grades}
        assert all(int(exact[c]) <= counts[c] <= int(exact[c]) + 1 for c in counts)
        assert sum(counts.values()) == n
        bumped = [exact[c] - int(exact[c]) for c in counts if counts[c] > int(exact[c])]
        kept = [exact[c] - int(exact[c]) for c in counts if counts[c] == int(exact[c])]
        if bumped and kept:
            assert min(bumped) >= max(kept)
        # a better total never gets a worse grade
        order = [g.code for g in rules.grades]
        for a in members:
            for b in members:
                if D(a["score"]) > D(b["score"]):
                    assert order.index(a["grade"]) <= order.index(b["grade"])


@settings(max_examples=200, deadline=None)
@given(departments(max_size=12), st.data())
def test_raising_an_actual_on_a_rising_indicator_never_lowers_the_own_score(deps, data):
    rising = [(d, i) for d in deps for i in d.indicators if i.direction == RISING]
    if not rising:
        return
    department, indicator = data.draw(st.sampled_from(rising))
    base = indicator.actual if indicator.actual is not None else D(0)
    higher = base + data.draw(st.decimals(min_value=D("0.01"), max_value=D(500), places=2))
    changed = scoring.apply_changes(deps, [scoring.Change(indicator.id, actual=higher)])
    before = {r["department"]: D(r["score"]) for r in scoring.evaluate_rows(deps, RULES)}
    after = {r["department"]: D(r["score"]) for r in scoring.evaluate_rows(changed, RULES)}
    assert after[department.code] >= before[department.code]


@settings(max_examples=100, deadline=None)
@given(departments(max_size=15), st.randoms(use_true_random=False))
def test_identical_inputs_give_identical_ranks(deps, rnd):
    if not deps:
        return
    first = scoring.evaluate_rows(deps, RULES)
    shuffled = list(deps)
    rnd.shuffle(shuffled)
    assert scoring.evaluate_rows(shuffled, RULES) == first  # order of input does not matter
    # a twin (same inputs, another department) in the same group gets the same score and rank
    model = deps[0]
    twin = dataclasses.replace(
        model,
        id=999,
        code="Z999",
        indicators=tuple(dataclasses.replace(i, id=9990 + n) for n, i in enumerate(model.indicators)),
    )
    rows = {r["department"]: r for r in scoring.evaluate_rows([*deps, twin], RULES)}
    assert rows["Z999"]["score"] == rows[model.code]["score"]
    assert rows["Z999"]["rank"] == rows[model.code]["rank"]


def test_fingerprint_changes_with_any_input():
    deps = seven_departments()
    base = scoring.input_fingerprint(RULES, deps)
    assert scoring.input_fingerprint(RULES, list(reversed(deps))) == base
    changed = scoring.apply_changes(deps, [scoring.Change(11, actual=D(111))])
    assert scoring.input_fingerprint(RULES, changed) != base
    assert scoring.input_fingerprint(dataclasses.replace(RULES, cap=D(110)), deps) != base


def test_fingerprint_is_the_hash_of_the_inputs_as_dataclasses_asdict_json():
    """Runs frozen before the field-by-field serialisation keep comparing equal to the same inputs."""
    import hashlib
    import json

    deps = seven_departments()
    payload = {
        "rules": dataclasses.asdict(RULES),
        "departments": sorted((dataclasses.asdict(d) for d in deps), key=lambda d: d["code"]),
    }
    text = json.dumps(payload, sort_keys=True, default=scoring._canonical, ensure_ascii=False)
    assert scoring.input_fingerprint(RULES, deps) == hashlib.sha256(text.encode("utf-8")).hexdigest()
