"""Load test on loopback: simulated staff signed in to the production server setup, each doing a realistic
mix (read lists, open details, submit reports) with think time, for a fixed time; stops by itself.

    .venv/bin/python bench/bench_load.py --users 200 --duration 120 [--json out.json]

Each simulated person is a real bench account (staff or head of a department) with a session made
beforehand (signing 200 people in would measure the password hash, not the pages). Before the load, the
same mix is run by one person alone: its p95 is the baseline the loaded p95 is compared with.
"""

from __future__ import annotations

import argparse
import http.client
import random
import re
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import common
from server import running_server

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KIND_RE = re.compile(r'<select[^>]*name="kind"[^>]*>(.*?)</select>', re.S)
OPTION_RE = re.compile(r'<option value="([^"]+)"')


@dataclass
class Person:
    username: str
    session_key: str
    directives: list[str]  # numbers of open directives assigned to the person's department
    csrf: str = ""


@dataclass
class Stats:
    samples: list[tuple[str, float, int]] = field(default_factory=list)  # (action, ms, status)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, action: str, ms: float, status: int, error: str = "") -> None:
        with self.lock:
            self.samples.append((action, ms, status))
            if error:
                self.errors.append(error)


def prepare_people(count: int, seed: int) -> list[Person]:
    """``count`` staff/managers of departments with open directives, each with a fresh signed-in session."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    from hwallyu.directives.models import DirectiveAssignment, State
    from hwallyu.org.models import Person as OrgPerson
    from hwallyu.org.models import Role

    store = import_module(settings.SESSION_ENGINE).SessionStore
    rng = random.Random(seed)
    open_by_department: dict[int, list[str]] = {}
    rows = (
        DirectiveAssignment.objects.filter(directive__state__in=[State.SHARED, State.REPORTED, State.IN_PROGRESS])
        .order_by("-directive_id")
        .values_list("department_id", "directive__number")[:20_000]
    )
    for dept_id, number in rows:
        open_by_department.setdefault(dept_id, []).append(number)
    candidates = list(
        OrgPerson.objects.filter(role__in=[Role.STAFF, Role.MANAGER], department_id__in=open_by_department)
        .order_by("user__username")
        .values_list("user_id", "department_id")
    )
    rng.shuffle(candidates)
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=[c[0] for c in candidates[:count]])}
    people = []
    for user_id, dept_id in candidates[:count]:
        user = users[user_id]
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        people.append(Person(user.username, session.session_key or "", open_by_department[dept_id][:50]))
    return people


class Browser:
    """One simulated person's connection (keep-alive) with their session and CSRF cookies."""

    def __init__(self, base: str, person: Person) -> None:
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.person = person
        self.conn: http.client.HTTPConnection | None = None
        self.last_location = ""

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, str]:
        from django.conf import settings

        cookies = f"{settings.SESSION_COOKIE_NAME}={self.person.session_key}"
        if self.person.csrf:
            cookies += f"; {settings.CSRF_COOKIE_NAME}={self.person.csrf}"
        headers = {"Cookie": cookies, "Host": f"{self.host}:{self.port}", "Connection": "keep-alive"}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{self.host}:{self.port}"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                location = response.getheader("Location", "")
                self.last_location = urllib.parse.urlsplit(location)._replace(scheme="", netloc="").geturl()
                for name, value in response.getheaders():
                    if name.lower() == "set-cookie" and value.startswith(settings.CSRF_COOKIE_NAME + "="):
                        self.person.csrf = value.split(";", 1)[0].split("=", 1)[1]
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, text
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once (not an error).
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise RuntimeError("unreachable")


def actions(year: int) -> list[tuple[str, int, Any]]:
    from django.urls import reverse

    lists = [
        reverse("core:home"),
        reverse("directives:list"),
        reverse("workplan:projects", args=[year]),
        reverse("reviews:rounds"),
        reverse("notifications:list"),
        reverse("performance:mine"),
    ]
    return [
        ("inbox", 25, lambda b, rng: [("GET", reverse("directives:inbox"), None)]),
        ("list", 25, lambda b, rng: [("GET", rng.choice(lists), None)]),
        (
            "detail",
            35,
            lambda b, rng: [("GET", reverse("directives:detail", args=[rng.choice(b.person.directives)]), None)],
        ),
        ("report", 15, None),  # detail, then POST a progress report from its form
    ]


def run_person(base: str, person: Person, until: float, stats: Stats, think: tuple[float, float], seed: int) -> None:
    from django.urls import reverse

    rng = random.Random(seed)
    browser = Browser(base, person)
    mix = actions(common_year())
    weights = [w for _, w, _ in mix]
    # Arrivals are spread over the first think period, as people do not all click at the same instant.
    time.sleep(rng.uniform(0, think[1]))
    while time.monotonic() < until:
        name, _, make = rng.choices(mix, weights)[0]
        try:
            if make is not None:
                for method, path, body in make(browser, rng):
                    timed(browser, stats, name, method, path, body)
            else:
                number = rng.choice(person.directives)
                detail = reverse("directives:detail", args=[number])
                status, text = timed(browser, stats, "detail", "GET", detail, None)
                token = CSRF_RE.search(text)
                select = KIND_RE.search(text)
                if status == 200 and token and select:
                    kinds = OPTION_RE.findall(select.group(1))
                    body = {
                        "csrfmiddlewaretoken": token.group(1),
                        "kind": kinds[-1] if kinds else "progress",
                        "body": f"부하 시험 보고 {rng.randrange(10**6)}: 추진 상황을 보고합니다.",
                    }
                    timed(browser, stats, "report", "POST", reverse("directives:report", args=[number]), body)
        except Exception as exc:  # noqa: BLE001 - every failure is counted as an error of the run
            stats.add(name, 0.0, 0, f"{name}: {type(exc).__name__}: {exc}")
        time.sleep(rng.uniform(*think))


def timed(
    browser: Browser, stats: Stats, name: str, method: str, path: str, body: dict[str, str] | None
) -> tuple[int, str]:
    t0 = time.perf_counter()
    status, text = browser.request(method, path, body)
    if method == "GET" and status in (301, 302, 303):
        # A page that sends the person on (e.g. to the current year's page): the browser follows it.
        location = browser.last_location
        if location.startswith("/accounts/login"):
            status = 401
        elif location:
            path = location
            status, text = browser.request("GET", location)
    ms = (time.perf_counter() - t0) * 1000
    ok = status == 200 or (method == "POST" and status in (302, 303))
    stats.add(name, ms, status, "" if ok else f"{name} {method} {path}: HTTP {status}")
    return status, text


def common_year() -> int:
    from hwallyu.core.benchdata import SCALES

    return max(s.last_year for s in SCALES.values())


def summarise(stats: Stats, duration: float) -> dict[str, Any]:
    times = [ms for _, ms, status in stats.samples if status]
    by_action: dict[str, list[float]] = {}
    for action, ms, status in stats.samples:
        if status:
            by_action.setdefault(action, []).append(ms)
    return {
        "requests": len(stats.samples),
        "errors": len(stats.errors),
        "error_examples": stats.errors[:5],
        "throughput_rps": round(len(stats.samples) / duration, 1),
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(common.percentile(times, 0.95), 1) if times else None,
        "p99_ms": round(common.percentile(times, 0.99), 1) if times else None,
        "by_action": {
            a: {"n": len(v), "p50_ms": round(statistics.median(v), 1), "p95_ms": round(common.percentile(v, 0.95), 1)}
            for a, v in sorted(by_action.items())
        },
    }


def run_load(base: str, people: list[Person], duration: float, think: tuple[float, float], seed: int) -> dict[str, Any]:
    stats = Stats()
    until = time.monotonic() + duration
    threads = [
        threading.Thread(target=run_person, args=(base, p, until, stats, think, seed + i), daemon=True)
        for i, p in enumerate(people)
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        # Bounded: a request in flight at the end has at most its timeout left.
        t.join(timeout=max(0.0, until - time.monotonic()) + 35)
    still = sum(t.is_alive() for t in threads)
    result = summarise(stats, time.monotonic() - started)
    result["threads_not_finished"] = still
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--baseline-duration", type=float, default=20)
    # Think time between two clicks of one person: reading a page, writing a report (mean 10 s).
    parser.add_argument("--think", type=float, nargs=2, default=(5.0, 15.0), metavar=("MIN", "MAX"))
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    common.setup()
    people = prepare_people(args.users + 1, args.seed)
    if len(people) < args.users + 1:
        raise SystemExit(f"not enough bench people with open directives: {len(people)}")
    think = (args.think[0], args.think[1])
    with running_server(workers=args.workers, threads=args.threads) as base:
        # Warm every worker (imports, template compilation, connections) before anything is measured.
        run_load(base, people[:8], min(10.0, args.baseline_duration), (0.0, 0.1), args.seed + 500)
        alone = run_load(base, people[:1], args.baseline_duration, (0.2, 0.5), args.seed)
        loaded = run_load(base, people[1:], args.duration, think, args.seed + 1000)
    common.emit(
        {
            "benchmark": "load",
            "users": args.users,
            "duration_s": args.duration,
            "think_s": list(think),
            "server": f"gunicorn gthread {args.workers}×{args.threads}",
            "baseline": "같은 업무 조합을 혼자(1명) 할 때",
            "baseline_p95_ms": alone["p95_ms"],
            "baseline_requests": alone["requests"],
            **loaded,
        },
        args.json,
    )


if __name__ == "__main__":
    main()
