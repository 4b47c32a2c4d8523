"""Benchmark: on_duty() and units_without_roster() on a district-sized roster.

Run: SHOUHU_DEBUG=1 SHOUHU_VAR_DIR=/tmp/volbench python bench/volunteers_on_duty.py [posts] [days]
Builds (in a throwaway SQLite database) posts at every gate and community of the demo district, four shifts a
day, two people each, then times the selectors other apps call on every gate page and emergency check.
"""

import os
import sys
import time
from datetime import datetime, timedelta
from datetime import time as dtime

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouhu.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from places.models import OrgUnit  # noqa: E402
from volunteers.models import Assignment, Post, Shift  # noqa: E402
from volunteers.selectors import on_duty, units_without_roster  # noqa: E402


def build(n_posts, days):
    call_command("migrate", verbosity=0)
    from places import demo

    demo.load()
    User = get_user_model()
    units = list(OrgUnit.objects.filter(kind__in=["gate", "community"]).order_by("path")[:n_posts])
    users = User.objects.bulk_create([User(username=f"bench{i}") for i in range(len(units) * 4)])
    posts = Post.objects.bulk_create(
        [Post(unit=u, name=f"岗位{i}", staffing="staff" if u.kind == "community" else "volunteers",
              qr_token=f"bench{i}") for i, u in enumerate(units)])
    first = timezone.localdate() - timedelta(days=days // 2)
    shifts = []
    for post in posts:
        for d in range(days):
            for h in (7, 11, 15, 19):
                start = timezone.make_aware(datetime.combine(first + timedelta(days=d), dtime(h)))
                shifts.append(Shift(post=post, start=start, end=start + timedelta(hours=4), min_staff=2))
    shifts = Shift.objects.bulk_create(shifts, batch_size=2000)
    by_post = {}
    for i, post in enumerate(posts):
        by_post[post.pk] = users[i * 4:(i + 1) * 4]
    rows = []
    for s in shifts:
        people = by_post[s.post_id]
        slot = s.start.hour // 4
        for u in (people[slot % 4], people[(slot + 1) % 4]):
            rows.append(Assignment(shift=s, user=u, start=s.start, end=s.end))
    Assignment.objects.bulk_create(rows, batch_size=5000)
    return units


def timed(label, fn, repeat=20):
    fn()
    t0 = time.perf_counter()
    for _ in range(repeat):
        result = fn()
    ms = (time.perf_counter() - t0) / repeat * 1000
    print(f"{label:<55} {ms:8.2f} ms")
    return result


if __name__ == "__main__":
    n_posts = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    days = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    build(n_posts, days)
    print(f"assignments: {Assignment.objects.count()}, posts: {Post.objects.count()}")
    district = OrgUnit.objects.get(code="320611")
    gate = OrgUnit.objects.filter(kind="gate").first()
    timed("on_duty(district) → list", lambda: list(on_duty(district)))
    timed("on_duty(one gate) → list", lambda: list(on_duty(gate)))
    communities = list(OrgUnit.objects.filter(kind="community"))
    today = timezone.localdate()
    timed(f"units_without_roster({len(communities)} communities, 7 days)",
          lambda: units_without_roster(communities, today, today + timedelta(days=6)), repeat=5)
