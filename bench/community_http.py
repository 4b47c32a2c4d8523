#!/usr/bin/env python
"""Many gates registering at once over HTTP, against the production server setup, then every acknowledged entry
compared with the database.

    /work/main/.venv/bin/python bench/community_http.py --gates 50 --seconds 60
    (or: bench/community_entries.py --samples 0 --http --gates 50 --seconds 60)

gunicorn as bin/run-demo starts it (2 workers × 4 threads, shouhu.wsgi, DEBUG off) on a fresh SQLite database
(or a scratch database next to SHOUHU_DATABASE_URL). Setup, through the app: the demo district, one volunteer
per gate (their own gate only), `--entries` entries already stored. Each client thread holds its volunteer's
session (created in setup as a login creates it) and posts entries to /api/v1/community/entries/ as the gate
page does (session cookie, CSRF header, JSON with an idempotency_key). A failed attempt (connection error, 5xx,
timeout) is sent again with the same key, as the page's queue does; and one answer in 20 is "lost" on purpose: the same key is sent again and must come back
200 with the same id. Afterwards: every acknowledged key is in the database with the acknowledged id, nothing
else was stored at those gates, no key twice.
"""

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Client, Stack, scratch_database  # noqa: E402

PASSWORD = "Gate-bench-2020"
PLATES = ["苏F12345", "苏FD12345", "沪A88888", "鄂A12345", "皖B55555"]

SETUP = r"""
import json, sys
sys.path.insert(0, "bench")
from community_entries import fill, setup
from django.contrib.auth import get_user_model
from accounts.models import Membership
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
user, gates = setup()
fill(%(entries)d, gates)
User = get_user_model()
out = []
for i, gate in enumerate(gates[:%(gates)d]):
    name = "gate%%03d" %% i
    volunteer = User.objects.filter(username=name).first()
    if volunteer is None:
        volunteer = User.objects.create_user(name, password=%(password)r, first_name="志愿者%%d" %% i)
        Membership.objects.create(user=volunteer, unit=gate, role="volunteer")
    # A signed-in session per volunteer, made as django.contrib.auth.login makes it: 50 password hashes at once
    # on a busy 2-core machine would time out before the measured minute starts.
    session = SessionStore()
    session.update({SESSION_KEY: str(volunteer.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: volunteer.get_session_auth_hash()})
    session.create()
    out.append([name, gate.pk, session.session_key])
print("SETUP" + json.dumps(out))
"""

VERIFY = r"""
import json
from community.models import GateEntry
acked = json.load(open(%(path)r))
gates = %(gates)r
keys = list(acked)
stored = {}
for i in range(0, len(keys), 500):
    stored.update(GateEntry.objects.filter(idempotency_key__in=keys[i:i + 500]).values_list("idempotency_key", "id"))
new = GateEntry.objects.filter(gate_id__in=gates, recorder__username__startswith="gate").count()
print("RESULT" + json.dumps({"stored": len(stored), "same_id": sum(stored.get(k) == v for k, v in acked.items()),
                             "rows_at_gates": new}))
"""


def body(gate, key):
    return {"gate": gate, "idempotency_key": key, "direction": random.choice(["in", "out"]), "mode": "vehicle",
            "plate": random.choice(PLATES), "travel": "本市未外出", "purpose": "回家",
            "people": [{"name": "访客", "phone": "13800001234", "temperature": random.choice(["36.5", "36.8", "37.6"])}]}


class Run:
    def __init__(self):
        self.lock = threading.Lock()
        self.acked = {}  # key → id
        self.errors = []
        self.retries = 0
        self.replays = 0
        self.replay_mismatch = 0
        self.latency = []

    def note(self, **kw):
        with self.lock:
            for name, value in kw.items():
                setattr(self, name, getattr(self, name) + value)


def _post(client, run, gate, key, attempts=8):
    """Send until the server answers (as the gate page's queue does). Returns (status, json) or raises."""
    for attempt in range(attempts):
        started = time.perf_counter()
        try:
            status, data = client.json("POST", "/api/v1/community/entries/", body(gate, key))
        except OSError as exc:
            status, data = None, repr(exc)
        took = (time.perf_counter() - started) * 1000
        if status is not None and status < 500:
            with run.lock:
                run.latency.append(took)
            return status, data
        run.note(retries=1)
        time.sleep(min(2.0, 0.1 * 2 ** attempt))
    raise RuntimeError(f"no answer after {attempts} attempts: {status} {str(data)[:200]}")


def open_session(port, session_key, gate, tries=10):
    """A client with the volunteer's session cookie and the CSRF cookie the gate page sets."""
    client = Client(port)
    client.cookies["sessionid"] = session_key
    for attempt in range(tries):
        try:
            status, _ = client.request("GET", f"/community/gates/{gate}/")
            if status == 200 and "csrftoken" in client.cookies:
                return client
        except OSError:
            client.close()
        time.sleep(0.5 * (attempt + 1))
    raise RuntimeError(f"gate page {gate} did not open")


def gate_client(client, username, gate, run, stop):
    while time.monotonic() < stop:
        key = uuid.uuid4().hex
        try:
            status, data = _post(client, run, gate, key)
            if status not in (200, 201) or not isinstance(data, dict) or "id" not in data:
                raise RuntimeError(f"{status}: {str(data)[:200]}")
            with run.lock:
                run.acked[key] = data["id"]
            if random.random() < 0.05:  # the answer "got lost": the page sends the same key again
                status, again = _post(client, run, gate, key)
                run.note(replays=1)
                if status != 200 or again.get("id") != data["id"] or again.get("created") is not False:
                    run.note(replay_mismatch=1)
        except Exception as exc:  # noqa: BLE001 - counted and reported
            with run.lock:
                run.errors.append(f"{username}: {exc}")
    client.close()


def drive(port, logins, seconds):
    """logins: [(username, gate id, session key)]. All clients open their gate page first; then the clock starts."""
    clients = [open_session(port, session_key, gate) for _name, gate, session_key in logins]
    run = Run()
    started = time.monotonic()
    stop = started + seconds
    threads = [threading.Thread(target=gate_client, args=(client, name, gate, run, stop))
               for client, (name, gate, _key) in zip(clients, logins)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return run, time.monotonic() - started


def run_http(gates=50, seconds=60, entries=10000, database_url=None, workers=2, threads=4):
    """The whole run on a stack of its own; returns the figures (printed by main)."""
    database_url = os.environ.get("SHOUHU_DATABASE_URL", "") if database_url is None else database_url
    with scratch_database(database_url) as url:
        stack = Stack(url, workers=workers, threads=threads)
        try:
            stack.manage("migrate", "--noinput")
            stack.manage("collectstatic", "--noinput")
            out = stack.manage("shell", input_text=SETUP % {"entries": entries, "gates": gates,
                                                            "password": PASSWORD}).stdout
            logins = json.loads(out[out.index("SETUP") + 5:].splitlines()[0])
            if len(logins) < gates:
                raise RuntimeError(f"only {len(logins)} gates in the demo district")
            stack.start_web()
            run, elapsed = drive(stack.port, logins, seconds)
            path = stack.var_dir / "acked.json"
            path.write_text(json.dumps(run.acked))
            found = stack.query(VERIFY % {"path": str(path), "gates": [g for _, g, _ in logins]})
        finally:
            stack.cleanup()
    latency = sorted(run.latency) or [0.0]
    return {
        "database": "postgresql" if database_url else "sqlite",
        "gates": gates, "seconds": round(elapsed, 1), "acknowledged": len(run.acked),
        "stored": found["stored"], "lost": len(run.acked) - found["same_id"], "extra_rows": found["rows_at_gates"] - len(run.acked),
        "errors": len(run.errors), "retries_after_5xx_or_network": run.retries, "replays": run.replays,
        "replay_mismatch": run.replay_mismatch, "per_second": round(len(run.acked) / elapsed, 1),
        "latency_p50_ms": round(statistics.median(latency), 1),
        "latency_p95_ms": round(latency[int(len(latency) * 0.95) - 1 if len(latency) > 1 else 0], 1),
        "first_errors": run.errors[:3],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gates", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--entries", type=int, default=10000, help="entries stored before the run")
    args = parser.parse_args()
    print(json.dumps(run_http(args.gates, args.seconds, args.entries), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
