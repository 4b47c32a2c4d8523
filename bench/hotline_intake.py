"""Intake through the API under load, side by side with a trivial endpoint of the same server.

    /work/main/.venv/bin/python bench/hotline_intake.py [--clients 8] [--seconds 30] [--workers 2]

Builds a fresh SQLite database with the demo district in a temporary folder, starts gunicorn on it,
logs N clients in as the operator, then runs two phases of equal length against the same server:
GET /healthz (trivial: one SELECT 1) and POST /api/v1/hotline/orders/ (a real intake: number counter,
encryption, blind index, deadline on the working calendar, timeline and audit rows, notifications).
Prints requests/s, p50/p99 latency, errors, and the ratio intake/trivial (the figure to compare).
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PASSWORD = "Shouhu@2020"
CONTENTS = ["陈桥街道药店口罩涨价", "永和佳苑有湖北返回人员未隔离", "鄂籍车辆滞留检查站", "企业提前复工聚集",
            "隔离户需要买菜", "发热门诊在哪里", "小区外卖能否进入"]
CATEGORIES = ["EP-PRICE", "EP-PERSON", "EP-VEHICLE", "EP-WORK", "EP-LIVING", "EP-MEDICAL", "EP-POLICY"]


def login(base):
    session = requests.Session()
    session.get(f"{base}/accounts/login/")
    token = session.cookies.get("csrftoken")
    response = session.post(f"{base}/accounts/login/", data={"username": "operator", "password": PASSWORD,
                                                              "csrfmiddlewaretoken": token},
                            headers={"Referer": f"{base}/accounts/login/"}, allow_redirects=False)
    assert response.status_code == 302, response.status_code
    session.headers["X-CSRFToken"] = session.cookies.get("csrftoken")
    session.headers["Referer"] = base + "/"
    return session


def run_phase(sessions, seconds, request):
    latencies, errors, stop = [], [0], time.monotonic() + seconds
    lock = threading.Lock()

    def client(session):
        mine, bad = [], 0
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                ok = request(session)
            except requests.RequestException:
                ok = False
            mine.append(time.perf_counter() - start)
            bad += 0 if ok else 1
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "requests": len(latencies), "per_second": round(len(latencies) / elapsed, 1), "errors": errors[0],
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1) if latencies else None,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="shouhu-bench-")
    env = dict(os.environ, SHOUHU_VAR_DIR=var, SHOUHU_DEMO="1", SHOUHU_DEBUG="0", SHOUHU_ALLOWED_HOSTS="*",
               SHOUHU_SECRET_KEY="bench-" + "x" * 50, SHOUHU_LOG_LEVEL="WARNING")
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    gunicorn = str(Path(PY).with_name("gunicorn"))
    server = subprocess.Popen([gunicorn, "shouhu.wsgi:application", "--bind", f"127.0.0.1:{args.port}",
                               "--workers", str(args.workers), "--threads", "4", "--log-level", "warning"],
                              cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                if requests.get(f"{base}/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        sessions = [login(base) for _ in range(args.clients)]

        def trivial(session):
            return session.get(f"{base}/healthz", timeout=30).status_code == 200

        def intake(session):
            i = random.randrange(len(CONTENTS))
            body = {"content": CONTENTS[i], "order_type": "report", "category": CATEGORIES[i],
                    "caller_phone": f"138{random.randrange(10**8):08d}", "caller_name": "压测", "channel": "wechat"}
            response = session.post(f"{base}/api/v1/hotline/orders/", data=json.dumps(body), timeout=30,
                                    headers={"Content-Type": "application/json"})
            return response.status_code == 201

        for session in sessions[:2]:  # warm up both paths
            trivial(session), intake(session)
        baseline = run_phase(sessions, args.seconds, trivial)
        loaded = run_phase(sessions, args.seconds, intake)
    finally:
        server.terminate()
        server.wait(10)
    ratio = round(loaded["per_second"] / baseline["per_second"], 3) if baseline["per_second"] else None
    result = {"clients": args.clients, "seconds": args.seconds, "gunicorn_workers": args.workers,
              "trivial_healthz": baseline, "api_intake": loaded, "ratio": ratio}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
