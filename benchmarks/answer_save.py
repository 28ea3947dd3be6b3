"""Answer saves and questionnaire pages under load, against a bare Django view.

    .venv/bin/python -m benchmarks.answer_save [--workers 4] [--clients 8] [--seconds 8]
        [--rounds 2]    (PostgreSQL: BENCH_DATABASE_URL=postgres://... before it)

Prepares a throw-away SQLite database (or the PostgreSQL database of BENCH_DATABASE_URL),
starts gunicorn on 127.0.0.1 with several workers, and drives it from a second process on
loopback: each client follows its own invitation link, then repeats one request for a bounded
time and number of requests. Reports throughput and p95 latency, and both as a ratio to the
bare view served by the same server, and whether issue 14's goal is met (the area page and the
save >= 0.5 of the bare view's throughput, p95 within 2 times). The three run in turn, round
after round, so that a busy moment on a shared machine weighs on each of them.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MAX_REQUESTS = 4000
SCENARIOS = ["bare", "area_page", "answer_save"]
# Issue 14: the area page and the answer save, against the bare view of the same run.
GOAL_SCENARIOS = ["area_page", "answer_save"]
GOAL_THROUGHPUT = 0.5
GOAL_P95 = 2.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- run inside the prepared environment (a subprocess) -----------------------------------


def prepare(out: Path, clients: int) -> None:
    """A framework of 7 areas x 4 competencies x 3 questions, and one invitation per client."""
    import django

    django.setup()
    from diagnostic.models import Question
    from tests.factories import (
        AreaFactory,
        CampaignFactory,
        CompetencyFactory,
        EmployeeFactory,
        FrameworkFactory,
        InvitationFactory,
        QuestionFactory,
        ResponseFactory,
        knowledge_question,
    )

    framework = FrameworkFactory()
    areas = []
    for a in range(7):
        area = AreaFactory(framework=framework, position=a)
        areas.append(area.code)
        for _ in range(4):
            competency = CompetencyFactory(area=area, framework=framework)
            QuestionFactory(competency=competency, kind=Question.Kind.SELF)
            knowledge_question(competency)
            QuestionFactory(competency=competency, kind=Question.Kind.FREQUENCY)
    campaign = CampaignFactory(framework=framework)
    tokens = []
    for _ in range(clients):
        invitation = InvitationFactory(campaign=campaign, employee=EmployeeFactory())
        ResponseFactory(invitation=invitation)
        tokens.append(invitation.token)
    questions = list(
        Question.objects.filter(framework=framework)
        .exclude(kind=Question.Kind.KNOWLEDGE)
        .values_list("pk", flat=True)
    )
    out.write_text(json.dumps({"tokens": tokens, "area": areas[0], "questions": questions}))


class Client:
    """One respondent on a kept-alive connection, with its cookies."""

    def __init__(self, port: int, token: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.token = token

    def request(self, method: str, path: str, body: str | None = None, headers=None) -> int:
        headers = dict(headers or {})
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.conn.request(method, path, body=body, headers=headers)
        reply = self.conn.getresponse()
        reply.read()
        for header in reply.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            self.cookies.update({k: m.value for k, m in cookie.items()})
        return reply.status


def load(config: dict) -> dict:
    """Every client repeats the scenario's request until the time or request budget ends."""
    port, scenario, seconds = config["port"], config["scenario"], config["seconds"]
    clients = [Client(port, token) for token in config["tokens"]]
    for client in clients:
        client.request("GET", f"/a/{client.token}/")  # binds the session
        client.request("GET", f"/a/{client.token}/area/{config['area']}/")  # sets the CSRF cookie
    latencies: list[float] = []
    errors = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def run(client: Client) -> None:
        rng = random.Random(client.token)
        while time.perf_counter() < deadline:
            with lock:
                if len(latencies) + len(errors) >= MAX_REQUESTS:
                    return
            method, path, body, headers = request_for(scenario, client, config, rng)
            start = time.perf_counter()
            status = client.request(method, path, body, headers)
            elapsed = time.perf_counter() - start
            with lock:
                (latencies if status == 200 else errors).append(
                    elapsed if status == 200 else status
                )

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "scenario": scenario,
        "requests": len(latencies),
        "errors": len(errors),
        "error_statuses": sorted(set(errors))[:5],
        "wall": wall,
        "throughput": len(latencies) / wall,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))] if latencies else None,
    }


def request_for(scenario: str, client: Client, config: dict, rng: random.Random):
    if scenario == "bare":
        return "GET", "/__bench__/bare/", None, {}
    if scenario == "area_page":
        return "GET", f"/a/{client.token}/area/{config['area']}/", None, {}
    question = rng.choice(config["questions"])
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": client.cookies.get("csrftoken", ""),
        "HX-Request": "true",
    }
    return "POST", f"/a/{client.token}/save/", f"q{question}={rng.randint(0, 4)}", headers


# --- the orchestration --------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument(
        "--rounds", type=int, default=2, help="bare, area page, save in turn, this many times"
    )
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        return prepare(Path(args.prepare), args.clients)
    if args.load:
        print(json.dumps(load(json.loads(args.load))))
        return None

    work = Path(tempfile.mkdtemp(prefix="bench-answer-save-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{work / 'bench.sqlite3'}"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("CELERY_BROKER_URL", None)
    run = {"cwd": ROOT, "env": env, "check": True}
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], **run)
    if "BENCH_DATABASE_URL" in os.environ:  # throw-away too: a second run starts empty
        subprocess.run([PYTHON, "manage.py", "flush", "--no-input", "-v", "0"], **run)
    fixture = work / "fixture.json"
    module = [PYTHON, "-m", "benchmarks.answer_save", "--clients", str(args.clients)]
    subprocess.run([*module, "--prepare", str(fixture)], **run)
    port = free_port()
    server = subprocess.Popen(
        [
            PYTHON, "-m", "gunicorn", "benchmarks.wsgi",
            "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}",
            "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        wait_for(port)
        rounds: dict[str, list[dict]] = {scenario: [] for scenario in SCENARIOS}
        for _round in range(args.rounds):  # in turn, so a busy moment weighs on all three
            for scenario in SCENARIOS:
                config = {**json.loads(fixture.read_text()), "port": port}
                config |= {"scenario": scenario, "seconds": args.seconds}
                out = subprocess.run(
                    [*module, "--load", json.dumps(config)], **run, capture_output=True, text=True
                )
                rounds[scenario].append(json.loads(out.stdout))
        results = {scenario: combined(runs) for scenario, runs in rounds.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    report(results, args, env["DATABASE_URL"])


def combined(runs: list[dict]) -> dict:
    """The rounds of one scenario: requests over their time, and the median round's p95."""
    wall = sum(r["wall"] for r in runs)
    p95s = [r["p95_ms"] for r in runs if r["p95_ms"] is not None]
    return {
        "scenario": runs[0]["scenario"],
        "requests": sum(r["requests"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "error_statuses": sorted({s for r in runs for s in r["error_statuses"]})[:5],
        "throughput": sum(r["requests"] for r in runs) / wall if wall else 0,
        "p95_ms": statistics.median(p95s) if p95s else None,
        "rounds": runs,
    }


def wait_for(port: int) -> None:
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("HEAD", "/")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def report(results: dict, args, database: str) -> None:
    bare = results["bare"]
    engine = database.split(":", 1)[0]
    print(
        f"gunicorn {args.workers} workers, {args.clients} clients, {engine}, "
        f"{args.rounds} rounds of {args.seconds}s each"
    )
    print(f"{'scenario':12} {'requests':>8} {'errors':>6} {'req/s':>8} {'p95 ms':>8} "
          f"{'req/s vs bare':>14} {'p95 vs bare':>12}")  # fmt: skip
    for name, r in results.items():
        if not r["requests"]:
            print(f"{name:12} no successful request; statuses {r['error_statuses']}")
            continue
        print(
            f"{name:12} {r['requests']:>8} {r['errors']:>6} {r['throughput']:>8.1f} "
            f"{r['p95_ms']:>8.1f} {r['throughput'] / bare['throughput']:>14.2f} "
            f"{r['p95_ms'] / bare['p95_ms']:>12.2f}"
        )
    for name in GOAL_SCENARIOS:
        r = results[name]
        if not r["requests"]:
            continue
        speed, p95 = r["throughput"] / bare["throughput"], r["p95_ms"] / bare["p95_ms"]
        met = "met" if speed >= GOAL_THROUGHPUT and p95 <= GOAL_P95 else "NOT met"
        print(
            f"goal {name}: req/s {speed:.2f} of bare (>= {GOAL_THROUGHPUT}), "
            f"p95 {p95:.2f} times bare's (<= {GOAL_P95}): {met}"
        )
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "answer_save.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
