"""Interleaved rounds of the three dashboards on several databases (the reports benchmark's noise check).

    python bench/reports_dash_rounds.py --rounds 3 \\
        postgres://shouhu@127.0.0.1:54332/shouhu_10m postgres://shouhu@127.0.0.1:54332/shouhu_10k

Each round runs one short process per database (median of 5 calls after a warm-up for the district,
幸福街道 and 花桥社区 dashboards), alternating the databases, so drifts in the machine's load hit both alike.
Needs a database loaded by bench/reports_bench.py (its users and the demo tree).
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ONE = r"""
import os, statistics, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouhu.settings")
os.environ.setdefault("SHOUHU_DEBUG", "1")
import django; django.setup()
from django.conf import settings
settings.ALLOWED_HOSTS = ["*"]; settings.DEBUG = False
from django.contrib.auth import get_user_model
from django.test import Client
from places.models import OrgUnit
code = lambda name: OrgUnit.objects.get(name=name).code
out = []
for user, url in (("supervisor", "/reports/dashboard/"), ("xf_liaison", f"/reports/dashboard/unit/{{code('幸福街道')}}/"),
                  ("hq_worker", f"/reports/dashboard/community/{{code('花桥社区')}}/")):
    c = Client(); c.force_login(get_user_model().objects.get(username=user)); c.get(url)
    t = []
    for _ in range(5):
        s = time.perf_counter(); assert c.get(url).status_code == 200; t.append((time.perf_counter() - s) * 1000)
    out.append(round(statistics.median(t), 1))
print(*out)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print("database district unit community (median ms)")
    for _ in range(args.rounds):
        for url in args.urls:
            env = {**os.environ, "SHOUHU_DATABASE_URL": url}
            out = subprocess.run([sys.executable, "-c", ONE.format(root=str(ROOT))], env=env, capture_output=True,
                                 text=True, check=True).stdout.strip().splitlines()[-1]
            print(url.rsplit("/", 1)[-1], out, flush=True)


if __name__ == "__main__":
    main()
