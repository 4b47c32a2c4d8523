from datetime import datetime, timedelta, timezone

from triage.duplicates import find

NOW = datetime(2020, 2, 10, 12, tzinfo=timezone.utc)
YH, LD = "320611001007", "320611005002"


def rows():
    return [
        (1, "永和佳苑门口药店口罩卖二十块一个，太贵了", YH, NOW - timedelta(days=1)),
        (2, "永和佳苑有人从武汉回来没有隔离", YH, NOW - timedelta(days=2)),
        (3, "丽都花园药店口罩卖二十块一个太贵", LD, NOW - timedelta(days=1)),
        (4, "永和佳苑药店口罩二十元一只", YH, NOW - timedelta(days=20)),  # too old
        {"id": 5, "text": "小区门口药店的口罩二十块钱一个", "community_code": YH, "created": NOW - timedelta(hours=3)},
    ]


def test_same_matter_same_place_ranks_first():
    found = find("永和佳苑的药店口罩要二十块一个，太离谱", YH, rows(), days=7, now=NOW)
    ids = [r["id"] for r in found]
    assert ids[0] == 1 and 5 in ids
    assert 2 not in ids  # same place, different matter
    assert 4 not in ids  # outside the window
    assert found[0]["same_place"] and "同一社区" in found[0]["reason"] and 0 < found[0]["score"] <= 1


def test_same_text_elsewhere_scores_below_same_place():
    found = {r["id"]: r for r in find("药店口罩卖二十块一个太贵", YH, rows(), now=NOW)}
    assert found[1]["score"] > found[3]["score"]
    assert not found[3]["same_place"]


def test_window_is_configurable():
    assert 4 in [r["id"] for r in find("永和佳苑药店口罩二十元一只", YH, rows(), days=30, now=NOW)]


def test_nothing_similar_finds_nothing():
    assert find("路灯坏了好几天", YH, rows(), now=NOW) == []
    assert find("口罩太贵", YH, [], now=NOW) == []


def test_stored_shingles_give_the_same_answer():
    from triage.duplicates import shingle_text

    plain = find("永和佳苑的药店口罩要二十块一个", YH, rows()[:3], now=NOW)
    stored = [(i, t, c, d, shingle_text(t)) for i, t, c, d in rows()[:3]]
    assert find("永和佳苑的药店口罩要二十块一个", YH, stored, now=NOW) == plain
