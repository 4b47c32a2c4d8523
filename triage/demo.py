"""Demo gazetteer: a handful of publicly known landmarks (street level only) and illustrative roads.

Rows with illustrative=1 are made up for the demo district; they are flagged in the admin and must be
replaced by the real 门牌 data of the platform before production use."""

from pathlib import Path

DEMO_CSV = Path(__file__).resolve().parent / "data" / "demo_gazetteer.csv"


def load(stdout=None):
    from triage.gazetteer import import_gazetteer

    result = import_gazetteer(DEMO_CSV.read_text(encoding="utf-8"))
    if stdout:
        stdout.write(f"triage: gazetteer roads={result.roads} landmarks={result.landmarks} (示意数据已标注)")
    return result
