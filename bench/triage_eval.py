"""Triage evaluation figures (docs/benchmarks/triage.md).

  python bench/triage_eval.py            # routing on the demo set + EP rules + Teddy Cup 5-fold CV
Needs a migrated database with the org tree (the demo tree is imported into a throwaway SQLite DB here).
The Teddy Cup part reads /work/shared/data/teddycup2020c (or $TEDDYCUP_DIR) and is skipped when absent;
that data is evaluation-only and is never copied into the project.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouhu.settings")
os.environ.setdefault("SHOUHU_DEBUG", "1")
os.environ.setdefault("SHOUHU_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
TEDDY = Path(os.environ.get("TEDDYCUP_DIR", "/work/shared/data/teddycup2020c"))


def main():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from places.demo import demo_csv
    from places.services import import_places
    from triage.demo import load

    import_places(demo_csv())
    load()
    data = ROOT / "triage" / "tests" / "data"
    for label, args in [
        ("routing, demo set", ["routing", str(data / "routing_demo.csv")]),
        ("EP topics, rules alone", ["classify", str(data / "ep_topics.csv"), "--text-col", "text", "--label-col", "label"]),
    ]:
        started = time.perf_counter()
        print(f"# {label}")
        call_command("triage_eval", *args)
        print(f"  ({time.perf_counter() - started:.1f}s)")
    sample = TEDDY / "attachment2_sample_labeled_495.xlsx"
    if not sample.exists():
        print(f"# Teddy Cup: SKIPPED ({sample} not found)")
        return
    common = [str(sample), "--text-col", "留言主题+留言详情", "--label-col", "一级分类", "--cv", "5"]
    runs = [("Teddy Cup 5-fold, char+word+title n-grams (no taxonomy: no matcher)", []),
            ("Teddy Cup 5-fold, + taxonomy (attachment 1: extra examples + taxonomy matchers)", ["--taxonomy", str(TEDDY / "attachment1_label_taxonomy.xlsx")])]
    if "--self-train" in sys.argv:
        runs.append(("Teddy Cup 5-fold, + taxonomy + self-training (attachments 3, 4)",
                     ["--taxonomy", str(TEDDY / "attachment1_label_taxonomy.xlsx"), "--unlabelled",
                      str(TEDDY / "attachment3_full_votes_4326.xlsx"), str(TEDDY / "attachment4_full_replies_2816.xlsx")]))
    for label, extra in runs:
        started = time.perf_counter()
        print(f"# {label}")
        call_command("triage_eval", "classify", *common, *extra)
        print(f"  ({time.perf_counter() - started:.1f}s)")


if __name__ == "__main__":
    main()
