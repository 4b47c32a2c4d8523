"""Load test against the production server setup: a realistic mix by N concurrent clients for T seconds.

    python bench/load.py                         # SQLite, 200 clients, 120 s
    python bench/load.py --postgres              # a throw-away PostgreSQL 15 started in a temp dir
    python bench/load.py --clients 20 --seconds 10 --json out.json

The mix (weights in MIX): operator intake (POST /api/v1/hotline/orders/), gate entries by a volunteer
(POST /api/v1/community/entries/ with an idempotency key), the street liaison's inbox
(GET …/orders/?queue=inbox), transitions (dispatcher dispatches an order taken in by this run, the liaison
accepts it), dashboards (GET /reports/dashboard/ as the supervisor). Every acknowledged write (2xx) is
recorded; afterwards the ids are looked up in the database: any missing one is a lost write. Any 5xx is a
failure. Each client is a thread with its own keep-alive connection and a short random think time.
"""

import argparse
import json
import random
import statistics
import sys
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Client, Stack, throwaway_postgres  # noqa: E402

MIX = [("intake", 25), ("gate_entry", 25), ("inbox", 20), ("dispatch", 8), ("accept", 7), ("dashboard", 15)]
PERSONA = {"intake": "operator", "gate_entry": "yh_volunteer", "inbox": "xf_liaison", "dispatch": "dispatcher",
           "accept": "xf_liaison", "dashboard": "supervisor"}


class Run:
    """Shared state of one run: timings per kind, statuses, acknowledged ids, orders ready for the next move."""

    def __init__(self, info):
        self.info = info
        self.lock = threading.Lock()
        self.timings = defaultdict(list)
        self.statuses = defaultdict(lambda: defaultdict(int))
        self.errors = []  # (kind, status or exception, body excerpt)
        self.acked = defaultdict(list)  # kind -> ids (orders, entries); dispatch/accept -> order ids
        self.to_dispatch, self.to_accept = [], []
        self.keys = {}  # idempotency key -> entry id

    def note(self, kind, status, seconds, body=b""):
        with self.lock:
            self.timings[kind].append(seconds)
            self.statuses[kind][status] += 1
            if not isinstance(status, int) or status >= 500:
                self.errors.append((kind, status, (body or b"")[:300].decode("utf-8", "replace")))

    def pop(self, queue):
        with self.lock:
            return queue.pop(random.randrange(len(queue))) if queue else None


def act(run, kind, client, seq):
    """One request of the given kind; returns (status, body)."""
    info = run.info
    if kind == "intake":
        body = {"content": f"负载测试诉求 {seq}:小区门口排队人员过多,请协调。", "order_type": "help",
                "category": info["category"], "caller_name": "测试", "caller_phone": f"139{random.randrange(10**8):08d}",
                "address": "港闸区永和佳苑", "channel": "phone"}
        status, data = client.json("POST", "/api/v1/hotline/orders/", body, {"Idempotency-Key": uuid.uuid4().hex})
        if status == 201:
            with run.lock:
                run.acked["intake"].append(data["id"])
                run.to_dispatch.append(data["id"])
        return status, data
    if kind == "gate_entry":
        key = uuid.uuid4().hex
        body = {"gate": random.choice(info["gates"]), "idempotency_key": key, "direction": "in", "mode": "foot",
                "people": [{"name": "访客", "phone": f"137{random.randrange(10**8):08d}", "temperature": "36.5"}],
                "purpose": "探亲"}
        status, data = client.json("POST", "/api/v1/community/entries/", body)
        if status in (200, 201):
            with run.lock:
                run.acked["gate_entry"].append(data["id"])
                run.keys[key] = data["id"]
        return status, data
    if kind == "inbox":
        return client.json("GET", "/api/v1/hotline/orders/?queue=inbox")
    if kind == "dashboard":
        return client.request("GET", "/reports/dashboard/", headers={"Accept": "text/html"})
    if kind == "dispatch":
        pk = run.pop(run.to_dispatch)
        if pk is None:
            return None, None
        status, data = client.json("POST", f"/api/v1/hotline/orders/{pk}/dispatch/",
                                   {"lead_unit": info["xingfu"], "note": "请尽快处理"},
                                   {"Idempotency-Key": uuid.uuid4().hex})
        if status == 200:
            with run.lock:
                run.acked["dispatch"].append(pk)
                run.to_accept.append(pk)
        return status, data
    if kind == "accept":
        pk = run.pop(run.to_accept)
        if pk is None:
            return None, None
        status, data = client.json("POST", f"/api/v1/hotline/orders/{pk}/accept/", {},
                                   {"Idempotency-Key": uuid.uuid4().hex})
        if status == 200:
            with run.lock:
                run.acked["accept"].append(pk)
        return status, data
    raise ValueError(kind)


def client_loop(run, port, cookies, stop_at, think, rng_seed, tolerate_down=False):
    rng = random.Random(rng_seed)
    kinds = [k for k, w in MIX for _ in range(w)]
    clients = {}
    seq = 0
    while time.monotonic() < stop_at:
        kind = rng.choice(kinds)
        persona = PERSONA[kind]
        client = clients.get(persona) or clients.setdefault(persona, Client(port, cookies[persona]))
        seq += 1
        started = time.monotonic()
        try:
            status, body = act(run, kind, client, f"{rng_seed}-{seq}")
        except Exception as exc:  # noqa: BLE001 — a refused/reset connection is recorded, not raised
            if tolerate_down:
                run.note(kind, "down", time.monotonic() - started)
                time.sleep(0.2)
                continue
            run.note(kind, type(exc).__name__, time.monotonic() - started, str(exc).encode())
            continue
        if status is None:
            continue  # nothing to move yet
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        run.note(kind, status, time.monotonic() - started, raw)
        if think:
            time.sleep(rng.expovariate(1 / think))
    for client in clients.values():
        client.close()


def login_all(port):
    return {persona: Client(port).login(persona) for persona in set(PERSONA.values())}


VERIFY = r"""
import json
from hotline.models import WorkOrder, OrderEvent
from community.models import GateEntry
acked = json.loads(open({path!r}).read())
orders = set(WorkOrder.objects.filter(pk__in=acked["intake"]).values_list("pk", flat=True))
entries = set(GateEntry.objects.filter(pk__in=acked["gate_entry"]).values_list("pk", flat=True))
dispatched = set(OrderEvent.objects.filter(order_id__in=acked["dispatch"], action="dispatch").values_list("order_id", flat=True))
accepted = set(OrderEvent.objects.filter(order_id__in=acked["accept"], action="accept").values_list("order_id", flat=True))
keys = acked["keys"]
from django.db.models import Count
dup = GateEntry.objects.filter(idempotency_key__in=list(keys)).values("idempotency_key").annotate(n=Count("id")).filter(n__gt=1).count()
print("RESULT" + json.dumps({{
    "intake": [len(set(acked["intake"])), len(orders)],
    "gate_entry": [len(set(acked["gate_entry"])), len(entries)],
    "dispatch": [len(set(acked["dispatch"])), len(dispatched)],
    "accept": [len(set(acked["accept"])), len(accepted)],
    "duplicate_keys": dup,
}}))
"""


def verify(stack, run):
    """Every acknowledged id looked up in the database: {kind: [acknowledged, found]}."""
    path = stack.var_dir / "acked.json"
    kinds = ("intake", "gate_entry", "dispatch", "accept")
    path.write_text(json.dumps({"keys": run.keys, **{k: run.acked.get(k, []) for k in kinds}}))
    return stack.query(VERIFY.format(path=str(path)))


def pct(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def summary(run, seconds):
    rows = []
    for kind, _w in MIX:
        t = run.timings.get(kind, [])
        rows.append({"kind": kind, "requests": len(t), "per_s": round(len(t) / seconds, 1),
                     "median_ms": round(statistics.median(t) * 1000, 1) if t else 0,
                     "p95_ms": round(pct(t, 95) * 1000, 1), "p99_ms": round(pct(t, 99) * 1000, 1),
                     "statuses": dict(run.statuses.get(kind, {}))})
    return rows


def print_table(rows, out=sys.stdout):
    print(f"{'kind':<12}{'requests':>9}{'req/s':>8}{'median ms':>11}{'p95 ms':>9}{'p99 ms':>9}  statuses", file=out)
    for r in rows:
        print(f"{r['kind']:<12}{r['requests']:>9}{r['per_s']:>8}{r['median_ms']:>11}{r['p95_ms']:>9}{r['p99_ms']:>9}  "
              f"{r['statuses']}", file=out)


def drive(stack, clients, seconds, think, cookies=None, during=None):
    """Run the mix against a started stack; `during(run)` (optional) runs in the main thread meanwhile."""
    run = Run(stack.info)
    cookies = cookies or login_all(stack.port)
    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=client_loop, args=(run, stack.port, cookies, stop_at, think, i,
                                                          during is not None), daemon=True)
               for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    if during is not None:
        during(run)
    for t in threads:
        t.join()
    return run, time.monotonic() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean think time between a client's requests (s, exponential)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--postgres", action="store_true", help="start a throw-away PostgreSQL 15")
    parser.add_argument("--database-url", default="", help="an existing (empty) PostgreSQL database instead")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args(argv)

    def go(url):
        with Stack(url, workers=args.workers, threads=args.threads) as stack:
            run, elapsed = drive(stack, args.clients, args.seconds, args.think)
            time.sleep(1)
            found = verify(stack, run)
        return run, elapsed, found

    if args.postgres:
        with throwaway_postgres() as pg:
            run, elapsed, found = go(pg.url)
    else:
        run, elapsed, found = go(args.database_url)
    rows = summary(run, elapsed)
    total = sum(r["requests"] for r in rows)
    print(f"database: {'PostgreSQL' if args.postgres or args.database_url else 'SQLite'}; {args.clients} clients, "
          f"{elapsed:.0f} s, {args.workers} workers × {args.threads} threads; {total} requests, {total / elapsed:.1f}/s")
    print_table(rows)
    lost = {k: v[0] - v[1] for k, v in found.items() if isinstance(v, list)}
    print(f"acknowledged vs found: {found}; lost: {lost}; server errors: {len(run.errors)}")
    for err in run.errors[:10]:
        print("  error:", err)
    result = {"rows": rows, "found": found, "lost": lost, "errors": run.errors, "elapsed": elapsed,
              "clients": args.clients, "total": total}
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if not run.errors and not any(lost.values()) and not found["duplicate_keys"] else 1


if __name__ == "__main__":
    sys.exit(main())
