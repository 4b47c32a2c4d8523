"""Address router: an address as a caller says it → street, community, compound, confidence, reason.

The index (every name and alias of streets, communities, compounds, roads and landmarks, plus derived
short forms) lives in memory; `route()` scans the normalised address for the names it contains, keeps
the longest ones, weighs the evidence and answers at the most precise level it can defend:
a community, or only the street when the community is ambiguous (花桥社区 / 花桥村), or "unknown".
Addresses naming another district or city are flagged `outside`, never guessed.
"""

import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache

from places.models import OrgUnit
from triage.text import levenshtein, normalise, sound_distance, sounds

OK, STREET_ONLY, UNKNOWN, OUTSIDE = "ok", "street", "unknown", "outside"
MIN_CONFIDENCE = 0.5
CACHE_KEY = "triage:gazetteer:generation"
RECHECK_SECONDS = 2.0  # how often another process's invalidation (shared cache) is looked for

# Province/city/district words that place the caller inside the district: stripped, not evidence.
PREFIXES = ["江苏省", "江苏", "南通市", "南通", "港闸区", "港闸"]
# Generic compound endings: a compound is often called by its core + any of these (永和佳苑 → 永和小区).
COMPOUND_SUFFIXES = ["佳苑", "佳园", "家苑", "家园", "嘉苑", "嘉园", "花苑", "花园", "新村", "小区", "公寓",
                     "新城", "苑", "园", "村"]
SUFFIX_SWAPS = [("佳苑", "佳园", "家园", "家苑", "嘉苑", "嘉园"), ("花苑", "花园"), ("新村", "小区")]
# Other districts/counties of 南通 and other places; their street names come from the NBS list in places.
OUTSIDE_NAMES = [
    "崇川区", "崇川", "通州区", "通州", "海门市", "海门区", "海门", "启东市", "启东", "如皋市", "如皋", "如东县", "如东",
    "海安市", "海安县", "海安", "南通开发区", "南通经济技术开发区", "经济技术开发区", "苏通园区", "苏通科技产业园",
    "南京", "苏州", "无锡", "常州", "镇江", "扬州", "泰州", "盐城", "淮安", "宿迁", "连云港", "徐州", "张家港",
    "昆山", "常熟", "江阴", "上海", "北京", "天津", "重庆", "杭州", "宁波", "合肥", "武汉", "湖北", "浙江", "安徽",
    "山东", "河南", "广东", "深圳", "广州", "福建", "江西", "湖南", "四川", "黄冈", "孝感", "随州",
]
STREET_SUFFIXES = ("街道", "镇", "乡")
_BUILDING = re.compile(r"\d+(号楼|号|幢|栋|座|单元|室|楼|层|弄|组|户|巷)|\d+")
_ROAD_AFTER = re.compile(r"^(路|街(?!道)|大道|大街|巷|弄)")
_NUMBER_AFTER = re.compile(r"^,?(\d+)(号|弄|巷)")

# Evidence weights: how sure one kind of hit makes us of the community it points to.
W_COMPOUND, W_COMPOUND_ALIAS, W_COMPOUND_DERIVED, W_COMPOUND_CORE = 0.97, 0.92, 0.82, 0.72
W_COMMUNITY, W_COMMUNITY_STEM = 0.95, 0.75
W_ROAD, W_ROAD_NO_NUMBER, W_LANDMARK = 0.85, 0.8, 0.85
W_STREET, W_STREET_ALIAS = 0.9, 0.75
FUZZY_FACTOR = 0.85


@dataclass(frozen=True)
class Entry:
    level: str  # "street", "community", "road", "landmark"
    street: str
    community: str | None
    compound: str | None
    weight: float
    label: str  # what the name stands for, for the reason ("永和佳苑")
    road: object = None  # (number_from, number_to) for road segments


@dataclass
class Index:
    names: dict  # normalised name → [Entry]
    units: dict  # code → (name, kind)
    outside: set
    fuzzy: list  # (name, sounds) for the near-miss pass
    max_len: int
    by_syllable: dict = field(default_factory=dict)  # syllable → [(name number, position)]
    built: float = field(default_factory=time.monotonic)


@dataclass
class Route:
    status: str
    street: tuple | None = None  # (code, name)
    community: tuple | None = None
    compound: tuple | None = None
    confidence: float = 0.0
    reason: str = ""

    def as_dict(self):
        def unit(value):
            return {"code": value[0], "name": value[1]} if value else None

        return {"status": self.status, "street": unit(self.street), "community": unit(self.community),
                "compound": unit(self.compound), "confidence": round(self.confidence, 3), "reason": self.reason}


def _stem(name):
    for suffix in ("社区", "村"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _compound_variants(name):
    variants = set()
    for group in SUFFIX_SWAPS:
        for suffix in group:
            if name.endswith(suffix):
                variants |= {name[: -len(suffix)] + other for other in group}
    variants.discard(name)
    return variants


def _core(name):
    for suffix in COMPOUND_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


def build_index():
    from triage.models import Landmark, Road

    import pypinyin  # noqa: F401 - loading its tables takes seconds: pay it while building, not on a call

    names = defaultdict(list)
    fuzzy = {}
    units = {}
    rows = list(OrgUnit.objects.filter(active=True, kind__in=["street", "zone", "community", "compound"])
                .values_list("code", "name", "kind", "aliases", "path"))
    parents = {}
    for code, name, kind, aliases, path in rows:
        units[code] = (name, kind)
        parents[code] = [c for c in path.strip("/").split("/")]

    def chain(code):
        """(street, community, compound) codes of a unit."""
        street = community = compound = None
        for c in parents.get(code, []):
            kind = units.get(c, (None, None))[1]
            if kind in ("street", "zone"):
                street = c
            elif kind == "community":
                community = c
            elif kind == "compound":
                compound = c
        return street, community, compound

    def add(name, entry, fuzzy_ok=True):
        key = normalise(name)
        if len(key) < 2 or entry in names[key]:
            return
        names[key].append(entry)
        if fuzzy_ok and len(key) >= 3:
            fuzzy[key] = sounds(key)

    alias_of = {code: list(a or []) for code, _n, _k, a, _p in rows}
    for code, (name, kind) in units.items():
        street, community, compound = chain(code)
        if street is None:
            continue
        if kind in ("street", "zone"):
            add(name, Entry("street", street, None, None, W_STREET, name))
            for alias in alias_of[code]:
                add(alias, Entry("street", street, None, None, W_STREET_ALIAS, name), fuzzy_ok=False)
            stem = name
            for suffix in ("镇街道", "街道"):
                if name.endswith(suffix):
                    stem = name[: -len(suffix)]
            for alias in {stem, stem + "街道", stem + "镇"} - {name}:
                add(alias, Entry("street", street, None, None, W_STREET_ALIAS, name), fuzzy_ok=False)
        elif kind == "community":
            if "虚拟" in name:  # a bookkeeping unit, not a place callers name
                continue
            add(name, Entry("community", street, community, None, W_COMMUNITY, name))
            for alias in set(alias_of[code]) | {_stem(name)}:
                if alias != name:
                    # a stem of four or more characters is distinctive enough for a near-miss (高迪金城)
                    add(alias, Entry("community", street, community, None, W_COMMUNITY_STEM, name),
                        fuzzy_ok=len(alias) >= 4)
            # 五星村 is also said 五星村委(会); 永和社区 is 永和居委(会)
            for said in ([name + "委", name + "委会"] if name.endswith("村") else
                         [_stem(name) + "居委", _stem(name) + "居委会"]):
                add(said, Entry("community", street, community, None, W_COMMUNITY, name))
        elif kind == "compound":
            add(name, Entry("community", street, community, compound, W_COMPOUND, name))
            for alias in set(alias_of[code]) | _compound_variants(name):
                add(alias, Entry("community", street, community, compound, W_COMPOUND_ALIAS, name))
            core = _core(name)
            if core:
                add(core, Entry("community", street, community, compound, W_COMPOUND_CORE, name),
                    fuzzy_ok=len(core) >= 4)
                # any compound is also called "<core>小区" by its residents (民安花苑 → 民安小区)
                add(core + "小区", Entry("community", street, community, compound, W_COMPOUND_DERIVED, name))

    for road in Road.objects.select_related("unit").all():
        street, community, compound = chain(road.unit.code)
        if street is None:
            continue
        entry = Entry("road", street, community, compound, W_ROAD, road.name, (road.number_from, road.number_to))
        for alias in [road.name, *road.aliases]:
            add(alias, entry)
    for mark in Landmark.objects.select_related("unit").all():
        street, community, compound = chain(mark.unit.code)
        if street is None:
            continue
        entry = Entry("landmark", street, community, compound, W_LANDMARK, mark.name)
        for alias in [mark.name, *mark.aliases]:
            add(alias, entry)

    outside = set(OUTSIDE_NAMES) | set(_foreign_streets(set(units)))
    outside = {normalise(n) for n in outside if normalise(n) not in names}
    max_len = max([len(k) for k in names] + [len(k) for k in outside] + [2])
    fuzzy_list = sorted(fuzzy.items())
    by_syllable = defaultdict(list)
    for number, (_key, key_sounds) in enumerate(fuzzy_list):
        for position, readings in enumerate(key_sounds):
            for syllable in readings:
                by_syllable[syllable].append((number, position))
    return Index(dict(names), units, outside, fuzzy_list, max_len, by_syllable=dict(by_syllable))


def _foreign_streets(own_codes):
    import csv
    from pathlib import Path

    import places

    path = Path(places.__file__).resolve().parent / "data" / "modood_2019_streets_3206.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [r["name"] for r in csv.DictReader(fh) if r["code"] not in own_codes and r["name"].endswith(STREET_SUFFIXES)]


_lock = threading.Lock()
_state = {"index": None, "generation": None, "checked": 0.0}


def invalidate(**kwargs):
    """Drop the index here and tell other processes (through the shared cache) to rebuild theirs."""
    _state["index"] = None
    try:
        cache.set(CACHE_KEY, time.time_ns(), None)
    except Exception:  # noqa: BLE001 - a cache outage must not break saving a place
        pass


def get_index():
    now = time.monotonic()
    if _state["index"] is not None and now - _state["checked"] < RECHECK_SECONDS:
        return _state["index"]
    generation = cache.get(CACHE_KEY)
    with _lock:
        if _state["index"] is None or generation != _state["generation"]:
            _state["index"] = build_index()
            _state["generation"] = generation
        _state["checked"] = now
        return _state["index"]


def _scan(text, keys, max_len):
    """All (start, end, key) occurrences of index names, minus those inside a longer occurrence."""
    hits = []
    n = len(text)
    for i in range(n):
        for j in range(min(n, i + max_len), i + 1, -1):
            if text[i:j] in keys:
                hits.append((i, j, text[i:j]))
    return [h for h in hits if not any(o is not h and o[0] <= h[0] and h[1] <= o[1] and (o[1] - o[0]) > (h[1] - h[0])
                                       for o in hits)]


def _strip_prefixes(text):
    changed = True
    while changed:
        changed = False
        for prefix in PREFIXES:
            # 港闸开发区 is a place in the district, not a prefix
            if text.startswith(prefix) and not text.startswith("港闸开发区"):
                text = text[len(prefix):].lstrip(",")
                changed = True
    return text


def _road_number(text, end):
    match = _NUMBER_AFTER.match(text[end:])
    return int(match.group(1)) if match else None


def _candidates(index, text, hits, factor=1.0):
    """(entry, weight, name said) for every hit; road segments narrowed by the house number."""
    out = []
    for start, end, key in hits:
        entries = index.names[key]
        roads = [e for e in entries if e.level == "road"]
        if roads:
            number = _road_number(text, end)
            covering = [e for e in roads if number is not None and _covers(e.road, number)]
            segmented = any(e.road != (None, None) for e in roads)
            if covering:
                roads = [(e, W_ROAD) for e in covering]
            elif segmented:
                roads = [(e, W_ROAD_NO_NUMBER) for e in roads]
            else:
                roads = [(e, W_ROAD_NO_NUMBER) for e in roads]
            out += [(e, w * factor, key) for e, w in roads]
        # "秦灶"/"幸福" alone name the street before the community of the same stem
        names_street = any(e.level == "street" for e in entries)
        out += [(e, e.weight * factor, key) for e in entries
                if e.level != "road" and not (names_street and e.level == "community" and e.weight < W_COMMUNITY)]
    return out


def _covers(bounds, number):
    low, high = bounds
    return (low or 0) <= number <= (high if high is not None else 10**9)


def _fuzzy_hits(index, text, exact=()):
    """Near-miss names: compared by sound (pinyin, with the z/zh, n/l, an/ang confusions of the region
    folded), then by characters; one syllable off is allowed (two for names of six or more)."""
    heard = sounds(text)
    matched = defaultdict(set)  # name number → positions of its syllables heard somewhere in the text
    # name number → start the name would have if that syllable is in place → its positions that agree
    offsets = defaultdict(lambda: defaultdict(set))
    for t, readings in enumerate(heard):
        for syllable in readings:
            for number, position in index.by_syllable.get(syllable, ()):
                matched[number].add(position)
                offsets[number][t - position].add(position)
    best, found = (99, 99), []
    for number, positions in matched.items():
        key, key_sounds = index.fuzzy[number]
        m = len(key_sounds)
        allowed = 0 if m <= 3 else 1 if m <= 5 else 2
        if len(positions) < m - allowed:
            continue
        # Only windows that start where a heard syllable puts the name (give or take the slips allowed),
        # not every position of a long address: the near-miss pass is the router's slow tail.
        at = offsets[number]
        shifts = range(-allowed, allowed + 1)
        starts = sorted(i for i in {o + shift for o in at for shift in shifts}
                        if len(set().union(*(at.get(i + shift, ()) for shift in shifts))) >= m - allowed)
        # a shorter window only for long names: "花桥" is the stem of 花桥村, not a slip of it
        for size in ((m - 1, m, m + 1) if m >= 5 else (m, m + 1)):
            for i in (i for i in starts if 0 <= i <= len(heard) - size):
                if any(a <= i and i + size <= b for a, b in exact):
                    continue  # part of a name already recognised (永兴街道 ⊅ 永兴村)
                d = sound_distance(key_sounds, heard[i:i + size], allowed)
                if d > allowed:
                    continue
                score = (d, levenshtein(key, text[i:i + size], 9))
                if score[1] == 0:
                    continue  # said exactly: not a near miss
                if d and not _distinct_part_heard(key, key_sounds, heard[i:i + size]):
                    continue
                if score < best:
                    best, found = score, []
                if score == best:
                    found.append((i, i + size, key))
    return best[0], found


GENERIC_ENDINGS = sorted({*COMPOUND_SUFFIXES, "社区", "居委会", "居委", "村委会", "村委"}, key=len, reverse=True)


def _distinct_part_heard(key, key_sounds, heard):
    """A slip is allowed in a name, but not in a two-character distinctive part: "什么小区" is no slip of
    "施店小区" — only the generic ending (小区, 社区, 新村) may then differ; the two characters must sound right."""
    for ending in GENERIC_ENDINGS:
        if key.endswith(ending):
            core = len(key) - len(ending)
            if core > 2:
                return True
            return len(heard) >= core and all(a & b for a, b in zip(key_sounds[:core], heard[:core]))
    return True


def route(address):
    raw = (address or "").strip()
    if not raw:
        return Route(UNKNOWN, reason="地址为空")
    index = get_index()
    full = normalise(raw)
    text = _strip_prefixes(full)
    hits = _scan(text, index.names.keys(), index.max_len)
    # other places are looked for before the prefixes go: "南通开发区" is not "开发区" (港闸开发区)
    outside = [h for h in _scan(full, index.outside, index.max_len)
               if not _ROAD_AFTER.match(full[h[1]:])]  # 上海路 is a road here, not 上海
    said_district = "港闸" in full
    if outside and not said_district:
        return Route(OUTSIDE, confidence=0.9, reason=f"含'{outside[0][2]}' → 不在本区,请核实或转办")
    candidates = _candidates(index, text, hits)
    fuzzy_note = ""
    if not any(e.community and w >= W_COMPOUND_ALIAS for e, w, _k in candidates):
        stripped = _BUILDING.sub(",", text)
        exact = [(a, b) for a, b, _k in _scan(stripped, index.names.keys(), index.max_len)]
        distance, near = _fuzzy_hits(index, stripped, exact)
        if near:
            near_candidates = _candidates(index, stripped, near, FUZZY_FACTOR - 0.04 * distance)
            if any(e.community for e, _w, _k in near_candidates):
                candidates += near_candidates
                fuzzy_note = "(近似匹配)"
    return _decide(index, candidates, fuzzy_note)


def _name(index, code):
    return (code, index.units[code][0]) if code else None


def _decide(index, candidates, fuzzy_note):
    streets_said = {e.street: (w, k) for e, w, k in candidates if e.level == "street"}
    local = [(e, w, k) for e, w, k in candidates if e.community or e.level in ("road", "landmark")]
    if local:
        if streets_said:
            agreeing = [c for c in local if c[0].street in streets_said]
            if agreeing:
                local = [(e, min(1.0, w + 0.03), k) for e, w, k in agreeing]
            else:
                local = [(e, w - 0.2, k) for e, w, k in local]
        by_place = defaultdict(list)
        for e, w, k in local:
            by_place[(e.street, e.community)].append((w, e, k))
        scored = sorted(((max(x[0] for x in v) + 0.02 * (len({x[2] for x in v}) - 1), place, v)
                         for place, v in by_place.items()), key=lambda t: -t[0])
        top_score, (street, community), evidence = scored[0]
        rivals = [s for s in scored[1:] if s[0] >= top_score - 0.08 and s[1] != (street, community)]
        best = max(evidence, key=lambda x: x[0])
        said, target = best[2], best[1]
        if not rivals and community:
            # a compound is named only on strong evidence: "永和" is the community's stem before 永和佳苑's core
            strong = [(w, e.compound) for w, e, _k in evidence if e.compound and w >= 0.8]
            top_w = max((w for w, _c in strong), default=0)
            compounds = {c for w, c in strong if w == top_w}
            compound = compounds.pop() if len(compounds) == 1 else None
            confidence = min(top_score, 0.99)
            if confidence < MIN_CONFIDENCE:
                return Route(UNKNOWN, confidence=confidence, reason=f"'{said}'证据不足")
            return Route(OK, _name(index, street), _name(index, community), _name(index, compound), confidence,
                         f"含'{said}'{fuzzy_note} → {index.units[community][0]}" +
                         (f"({target.label})" if target.label not in (said, index.units[community][0]) else ""))
        places = [(street, community)] + [r[1] for r in rivals]
        street_set = {p[0] for p in places}
        if len(street_set) == 1:
            confidence = min(top_score, 0.95) * 0.9
            names = "、".join(sorted({index.units[p[1]][0] for p in places if p[1]})) or target.label
            if confidence < MIN_CONFIDENCE:
                return Route(UNKNOWN, confidence=confidence, reason=f"'{said}'证据不足")
            reason = (f"'{said}'{fuzzy_note}可能是{names},社区待确认 → {index.units[street][0]}" if len(places) > 1
                      else f"含'{said}'{fuzzy_note} → {index.units[street][0]}(社区未知)")
            return Route(STREET_ONLY, _name(index, street), confidence=confidence, reason=reason)
        names = "、".join(f"{index.units[p[0]][0]}{index.units[p[1]][0] if p[1] else ''}" for p in places[:3])
        return Route(UNKNOWN, confidence=top_score * 0.5, reason=f"'{said}'有多处同名:{names},请追问")
    if streets_said:
        ranked = sorted(streets_said.items(), key=lambda kv: -kv[1][0])
        if len(ranked) > 1 and ranked[1][1][0] >= ranked[0][1][0]:
            return Route(UNKNOWN, confidence=0.4, reason="地址提到多个街道,请追问")
        street, (weight, said) = ranked[0]
        return Route(STREET_ONLY, _name(index, street), confidence=weight * 0.9,
                     reason=f"含'{said}' → {index.units[street][0]}(社区未知)")
    return Route(UNKNOWN, reason="地址中没有认得出的街道、社区、小区、道路或地标")


def route_many(addresses):
    return [route(a) for a in addresses]
