"""Text normalisation shared by the router, the classifier and the duplicate search."""

import re
import unicodedata

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUM = "零〇一幺二两三四五六七八九十百千"
# A Chinese number is converted only where it is a house/building/room number, never inside a name
# (五星村, 八一村 and 五里树 keep their characters).
_CN_BEFORE_UNIT = re.compile(rf"([{_CN_NUM}]+)(?=号楼|号|幢|栋|座|单元|室|楼|层|弄|组|户|巷)")
_PUNCT = re.compile(r"[^\w]+")
_SPACE = re.compile(r"\s+")


def cn_to_int(text):
    """'一百二十' → 120, '三零一' → 301 (digit by digit when there is no 十/百/千)."""
    if not any(ch in CN_UNITS for ch in text):
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        else:
            total += (current or 1) * CN_UNITS[ch]
            current = 0
    return total + current


def normalise(text):
    """NFKC (full-width → half-width), lower case, no whitespace, punctuation folded to ','."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _SPACE.sub("", text)
    text = _PUNCT.sub(",", text).replace("_", ",")
    return _CN_BEFORE_UNIT.sub(lambda m: str(cn_to_int(m.group(1))), text)


def levenshtein(a, b, limit=3):
    """Edit distance, giving up (returning limit+1) once it cannot stay within `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


_SOUND_CACHE = {}
_FOLDS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


def _sound(ch):
    """A character's toneless readings (all of them: 都 is dou and du) with the confusions common in
    江淮 speech folded (z/zh, c/ch, s/sh, n/l, an/ang, en/eng, in/ing)."""
    if ch not in _SOUND_CACHE:
        readings = {ch}
        if "\u4e00" <= ch <= "\u9fff":
            from pypinyin import Style, pinyin

            readings = set(pinyin(ch, style=Style.NORMAL, heteronym=True, errors=lambda c: c)[0])
        folded = set()
        for syllable in readings:
            for a, b in _FOLDS:
                syllable = syllable.replace(a, b)
            if syllable.startswith("l"):
                syllable = "n" + syllable[1:]
            folded.add(syllable)
        _SOUND_CACHE[ch] = frozenset(folded)
    return _SOUND_CACHE[ch]


def sounds(text):
    return tuple(_sound(ch) for ch in text)


def sound_distance(a, b, limit=3):
    """Edit distance between two sound sequences; two characters match when they share a reading."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (not (ca & cb))))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
