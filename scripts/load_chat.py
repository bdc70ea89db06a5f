"""Load test for a running web chat.

Usage: python scripts/load_chat.py [--url http://127.0.0.1:7860/] [--sessions 20]
       [--questions 10] [--timeout 600]
       python scripts/load_chat.py --users 50 --duration 60 [--think 0]
       (add --login USER with the password in $PLANSVAR_PASSWORD when login is on)

Sessions mode: N sessions ask M questions each. Users mode: N users keep asking
for a fixed time (after an optional think time between answers). Questions go one
after the other (later ones as follow-ups, with the user's earlier questions as
history) through the chat's ``/chat`` API endpoint, the same queue and code path
as the page. Loopback only; counts and total time are bounded. Prints a Markdown
table (errors: target 0; p95: target < 2 s); exits 1 when any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

import httpx

QUESTIONS = (
    "Hur stor är kommunstyrelsens driftsbudget 2025 i Mark?",
    "Och 2024?",
    "Vad är Kommunkompassen?",
    "Vilka fyra strategiska områden har Marks kommun?",
    "Hur hög är sjukfrånvaron i Kramfors?",
    "What is the forecast result for Enköping's KS in 2023?",
    "Vem är kommundirektör i Mark?",
    "Hur stor är kommunstyrelsens nettokostnad 2024 i Mark?",
    "Och 2025?",
    "Vad är Ledarakademin?",
)
MAX_SESSIONS = 50
MAX_QUESTIONS = 20
MAX_DURATION_S = 300.0
MAX_HISTORY = 6  # a user's follow-ups carry this many earlier questions
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def ask(client: httpx.AsyncClient, question: str, history: list[str]) -> str:
    """One question through ``/chat``; returns the final HTML of the answer bubble."""
    start = await client.post(
        "gradio_api/call/chat", json={"data": [question, history, "", "", ""]}
    )
    start.raise_for_status()
    event_id = start.json()["event_id"]
    event, last = "", ""
    async with client.stream("GET", f"gradio_api/call/chat/{event_id}") as resp:
        resp.raise_for_status()
        async for line in resp.aiter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                payload = line.split(":", 1)[1].strip()
                if event == "error":
                    raise RuntimeError(f"server error event: {payload[:200]}")
                if payload and payload != "null":
                    data = json.loads(payload)
                    last = data[0] if isinstance(data, list) and data else last
                if event == "complete":
                    break
    if event != "complete":
        raise RuntimeError(f"stream ended without completing (last event {event!r})")
    if "ps-error" in last:
        raise RuntimeError("the chat showed an error message")
    return last


async def session(
    client: httpx.AsyncClient, n: int, count: int, result: Result
) -> None:
    history: list[str] = []
    for i in range(count):
        question = QUESTIONS[(n + i) % len(QUESTIONS)]
        t0 = time.perf_counter()
        try:
            await ask(client, question, history)
            result.latencies.append(time.perf_counter() - t0)
            history.append(question)
        except Exception as exc:  # counted and reported, the session goes on
            result.errors.append(f"session {n} q{i} {question!r}: {exc!r}")


async def user(
    client: httpx.AsyncClient, n: int, deadline: float, think: float, result: Result
) -> None:
    """One chat user asking until ``deadline``, pausing about ``think`` s after each
    answer (reading it, typing the next question).

    Users start at random moments within the first think time and pause for
    0.5-1.5 x ``think``, so they do not all ask in lockstep; seeded per user, so
    runs are repeatable.
    """
    rng = random.Random(n)
    history: list[str] = []
    i = 0
    if think:
        await asyncio.sleep(rng.uniform(0, think))
    while time.perf_counter() < deadline:
        question = QUESTIONS[(n + i) % len(QUESTIONS)]
        t0 = time.perf_counter()
        try:
            await ask(client, question, history)
            result.latencies.append(time.perf_counter() - t0)
            history = [*history, question][-MAX_HISTORY:]
        except Exception as exc:  # counted and reported, the user goes on
            result.errors.append(f"user {n} q{i} {question!r}: {exc!r}")
        i += 1
        if think:
            pause = think * rng.uniform(0.5, 1.5)
            await asyncio.sleep(min(pause, max(0.0, deadline - time.perf_counter())))


async def login(client: httpx.AsyncClient, username: str) -> None:
    """Log in like the login page does; the session cookie stays in ``client``."""
    password = os.environ.get("PLANSVAR_PASSWORD", "")
    resp = await client.post("login", data={"username": username, "password": password})
    if resp.status_code != 200:
        raise SystemExit(
            f"login as {username!r} failed (HTTP {resp.status_code}); "
            "set PLANSVAR_PASSWORD to the user's password"
        )


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def main(args: argparse.Namespace) -> int:
    host = urlparse(args.url).hostname
    if host not in LOOPBACK:
        print(
            f"refusing {args.url}: this load test only targets loopback",
            file=sys.stderr,
        )
        return 2
    users_mode = args.users is not None
    sessions = min(args.users if users_mode else args.sessions, MAX_SESSIONS)
    questions = min(args.questions, MAX_QUESTIONS)
    duration = min(args.duration, MAX_DURATION_S)
    timeout = duration + args.request_timeout if users_mode else args.timeout
    result = Result()
    limits = httpx.Limits(max_connections=2 * sessions + 4)
    async with httpx.AsyncClient(
        base_url=args.url, timeout=args.request_timeout, limits=limits, trust_env=False
    ) as client:
        if args.login:
            await login(client, args.login)
        t0 = time.perf_counter()
        tasks = (
            [
                user(client, n, t0 + duration, args.think, result)
                for n in range(sessions)
            ]
            if users_mode
            else [session(client, n, questions, result) for n in range(sessions)]
        )
        try:
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=timeout)
        except TimeoutError:
            result.errors.append(f"the whole run passed its {timeout:.0f} s limit")
        wall = time.perf_counter() - t0
    if users_mode:
        print_users_table(sessions, args.think, wall, result)
    else:
        print_sessions_table(sessions, questions, wall, result)
    for error in result.errors[:20]:
        print(f"- {error}")
    return 1 if result.errors else 0


def print_users_table(users: int, think: float, wall: float, result: Result) -> None:
    lat = result.latencies
    print(
        "| users | think (s) | duration (s) | requests | errors | p50 (s) | p95 (s) "
        "| max (s) | requests/s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {users} | {think:g} | {wall:.1f} | {len(lat)} | {len(result.errors)} "
        f"| {percentile(lat, 50):.2f} | {percentile(lat, 95):.2f} "
        f"| {max(lat, default=float('nan')):.2f} | {len(lat) / wall if wall else 0:.2f} |"
    )


def print_sessions_table(
    sessions: int, questions: int, wall: float, result: Result
) -> None:
    done = len(result.latencies)
    print(
        "| sessions | questions each | answered | errors | p50 (s) | p95 (s) "
        "| max (s) | mean (s) | wall (s) | answers/s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    lat = result.latencies
    print(
        f"| {sessions} | {questions} | {done} | {len(result.errors)} "
        f"| {percentile(lat, 50):.2f} | {percentile(lat, 95):.2f} "
        f"| {max(lat, default=float('nan')):.2f} "
        f"| {statistics.fmean(lat) if lat else float('nan'):.2f} "
        f"| {wall:.1f} | {done / wall if wall else 0:.2f} |"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860/")
    parser.add_argument("--sessions", type=int, default=20, help=f"max {MAX_SESSIONS}")
    parser.add_argument(
        "--questions", type=int, default=10, help=f"max {MAX_QUESTIONS}"
    )
    parser.add_argument("--timeout", type=float, default=600, help="whole run, seconds")
    parser.add_argument("--request-timeout", type=float, default=120)
    parser.add_argument(
        "--users",
        type=int,
        help=f"users mode: this many users (max {MAX_SESSIONS}) ask for --duration",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=60,
        help=f"users mode, max {MAX_DURATION_S:g} s",
    )
    parser.add_argument(
        "--think", type=float, default=0.0, help="users mode: pause after each answer"
    )
    parser.add_argument("--login", help="user name; password from $PLANSVAR_PASSWORD")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
