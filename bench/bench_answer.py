"""The citizen's answer POST over HTTP on the production server setup (Gunicorn, DEBUG off), against a
minimal view on the same server that inserts one row (``/__bench__/insert``, bench/benchsite/urls.py).

Both are driven for ``--seconds`` each by the same client (``--clients`` keep-alive connections, no think
time); throughput is completed requests per second. Every answer POST uses its own invitation link, as
citizens do, and must be accepted (a 303 to its thank-you page: the app answers a POST with a redirect, so a
reload never submits twice); a refused one is an error.

    .venv/bin/python bench/bench_answer.py --seconds 20 [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import secrets
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

import common
from server import running_server


def prepare_links(count: int) -> tuple[Any, list[str], dict[str, str]]:
    """An open round with ``count`` fresh invitation links and the answers every citizen gives."""
    from django.utils import timezone

    from hwallyu.org.selectors import departments
    from hwallyu.surveys import services
    from hwallyu.surveys.models import Invitation, InvitationStatus, QuestionKind, Survey

    user = common.bench_user("audit")
    year = 2040
    survey = Survey.objects.filter(year=year, quarter=None).first()
    if survey is None:
        survey = services.survey_create(year=year, quarter=None, title="벤치마크 응답", template=None, actor=user)
        survey = services.survey_open(survey=survey, actor=user)
    dept_ids = list(departments(active_only=True).values_list("id", flat=True))
    expires = timezone.now() + dt.timedelta(days=7)
    tokens = [secrets.token_urlsafe(16) for _ in range(count)]
    Invitation.objects.bulk_create(
        [
            Invitation(
                survey=survey,
                department_id=dept_ids[i % len(dept_ids)],
                petition_type=f"민원{i % 37}",
                source="petition",
                phone_hash=f"bench-answer-{token}",
                token=token,
                status=InvitationStatus.QUEUED,
                expires_at=expires,
            )
            for i, token in enumerate(tokens)
        ],
        batch_size=5000,
    )
    answers = {}
    for q in survey.questions.all():
        if q.kind == QuestionKind.SCALE5:
            answers[f"q{q.id}"] = str(5 - q.id % 3)
        elif q.kind == QuestionKind.YESNO:
            answers[f"q{q.id}"] = "1"
        else:
            answers[f"q{q.id}"] = "담당 공무원이 친절하게 안내해 주었습니다."
    return survey, tokens, answers


def drive(base: str, seconds: float, clients: int, make_request: Any) -> dict[str, Any]:
    parts = urllib.parse.urlsplit(base)
    lock = threading.Lock()
    counts = {"ok": 0, "errors": 0}
    latencies: list[float] = []
    errors: list[str] = []
    until = time.monotonic() + seconds

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        i = 0
        while time.monotonic() < until:
            path, body, headers = make_request(n, i)
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                text = response.read()
                # the minimal view says "ok"; an accepted answer redirects to its thank-you page (POST/redirect/GET)
                ok = (response.status == 200 and text == b"ok") or (
                    response.status == 303 and (response.getheader("Location") or "").endswith("/done")
                )
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                ok, text = False, str(exc).encode()
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                counts["ok" if ok else "errors"] += 1
                latencies.append(ms)
                if not ok and len(errors) < 5:
                    errors.append(text[:200].decode("utf-8", "replace"))
        conn.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 40)
    elapsed = time.monotonic() - started
    return {
        "requests": counts["ok"] + counts["errors"],
        "errors": counts["errors"],
        "error_examples": errors,
        "per_second": round(counts["ok"] / elapsed, 1),
        "p50_ms": round(common.percentile(latencies, 0.5), 1),
        "p95_ms": round(common.percentile(latencies, 0.95), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    common.setup()
    from hwallyu.surveys.public_views import make_nonce

    # More links than the server can possibly take in the time given (checked below).
    survey, tokens, answers = prepare_links(max(2000, int(args.seconds * 800)) + 400 * args.clients)
    warm_tokens, tokens = tokens[: 400 * args.clients], tokens[400 * args.clients :]

    with running_server(workers=args.workers, threads=args.threads) as base:
        host = urllib.parse.urlsplit(base).netloc
        common_headers = {"Host": host, "Content-Type": "application/x-www-form-urlencoded", "Origin": base}

        def minimal(n: int, i: int) -> tuple[str, bytes, dict[str, str]]:
            return "/__bench__/insert", urllib.parse.urlencode({"survey": survey.id, "v": i}).encode(), common_headers

        def links(pool: list[str]) -> Any:
            size = len(pool) // args.clients

            def answer(n: int, i: int) -> tuple[str, bytes, dict[str, str]]:
                if i >= size:
                    raise RuntimeError("ran out of invitation links: raise the count in prepare_links")
                token = pool[n * size + i]
                body = urllib.parse.urlencode(
                    {**answers, "nonce": make_nonce(token, survey.id, survey.incentive_enabled)}
                ).encode()
                return f"/s/{token}", body, common_headers

            return answer

        answer = links(tokens)
        # Warm both paths (workers import, connect, fill caches) before measuring; the answer path on links of its own.
        drive(base, min(2.0, args.seconds), args.clients, minimal)
        drive(base, min(0.5, args.seconds), args.clients, links(warm_tokens))
        baseline = drive(base, args.seconds, args.clients, minimal)
        real = drive(base, args.seconds, args.clients, answer)
    common.emit(
        {
            "benchmark": "answer_post",
            "server": f"gunicorn gthread {args.workers}×{args.threads}",
            "clients": args.clients,
            "seconds": args.seconds,
            "answer": real,
            "baseline": "한 행만 넣는 최소 뷰(/__bench__/insert), 같은 서버·같은 클라이언트",
            "minimal_insert": baseline,
            "ratio_to_baseline": round(real["per_second"] / baseline["per_second"], 2)
            if baseline["per_second"]
            else None,
        },
        args.json,
    )


if __name__ == "__main__":
    main()
