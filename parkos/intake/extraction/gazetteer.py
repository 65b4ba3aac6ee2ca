"""What ParkOS already knows, as phrase indexes: organization names and aliases, industries.

Built once per process from the directory and rebuilt when the directory changes (its row counts and latest
edit are the fingerprint), so that an article names "Huahong" and the draft already points at the
organization the directory calls 华虹半导体有限公司.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field

import ahocorasick

from parkos.intake.extraction.text import CJK

#: industries an article names, beside the directory's own industry tree (the common ones in park press)
INDUSTRY_TERMS = (
    "integrated circuits", "integrated circuit", "semiconductors", "semiconductor", "biomedicine",
    "biopharmaceuticals", "biopharmaceutical", "medical devices", "new energy vehicles", "new energy vehicle",
    "intelligent connected vehicles", "new energy", "new materials", "advanced materials", "artificial intelligence",
    "the internet of things", "internet of things", "big data", "cloud computing", "software", "robotics",
    "intelligent manufacturing", "smart manufacturing", "advanced manufacturing", "high-end equipment",
    "equipment manufacturing", "aerospace", "low-altitude economy", "photovoltaics", "photovoltaic", "hydrogen energy",
    "energy storage", "lithium batteries", "power batteries", "digital economy", "logistics", "modern logistics",
    "e-commerce", "cross-border e-commerce", "fintech", "life sciences", "life and health", "healthcare",
    "green energy", "environmental protection", "energy conservation", "quantum technology", "5G", "blockchain",
    "industrial internet", "modern services", "cultural tourism", "food processing", "textiles", "chemicals",
    "fine chemicals", "automotive parts", "auto parts", "cell and gene therapy", "gene therapy", "cell therapy",
    "innovative drugs", "high-end medical devices", "mechanical engineering", "machinery manufacturing",
    "advanced manufacturing industry", "third-generation semiconductors", "integrated circuit design",
    "antibody drugs", "precision medicine", "industrial software", "data security", "cross-border trade",
    "hydrogen", "fuel cells", "fuel cell", "machine tools", "machine tool", "battery recycling", "quantum computing",
    "quantum communication", "display technology", "display panels", "micro-LED", "OLED", "optoelectronics",
    "biotechnology", "pharmaceuticals", "electric vehicles", "wind power", "solar power", "specialty chemicals",
    "advanced packaging", "industrial robots", "drones", "commercial aerospace", "medical imaging",
    "in vitro diagnostics", "construction machinery", "engineering machinery", "cold-chain logistics",
    "cold chain logistics", "surgical robots", "automotive electronics", "consumer electronics", "battery materials",
    "green chemicals", "petrochemicals", "rail transit", "shipbuilding", "marine engineering", "power semiconductors",
    "semiconductor equipment", "smart logistics", "new energy equipment",
    "工程机械", "冷链物流", "手术机器人", "汽车电子", "消费电子", "电池材料", "绿色化工", "石化", "轨道交通", "船舶制造",
    "海洋工程", "功率半导体", "半导体设备", "智慧物流", "新能源装备",
    "集成电路设计", "第三代半导体", "高端医疗器械", "细胞与基因治疗", "细胞治疗", "基因治疗", "抗体药物", "创新药",
    "先进制造业", "机械制造", "精准医疗", "工业软件", "数据安全", "跨境贸易",
    "集成电路", "半导体", "生物医药", "医疗器械", "新能源汽车", "智能网联汽车", "新能源", "新材料",
    "人工智能", "物联网", "大数据", "云计算", "软件", "机器人", "智能制造", "高端装备",
    "装备制造", "航空航天", "低空经济", "光伏", "氢能", "储能", "锂电池", "动力电池",
    "数字经济", "现代物流", "物流", "电子商务", "跨境电商", "金融科技", "生命科学", "大健康",
    "节能环保", "量子科技", "区块链", "工业互联网", "现代服务业", "文化旅游", "文旅", "食品加工",
    "纺织", "化工", "精细化工", "汽车零部件", "新一代信息技术", "信息技术", "数字创意", "绿色低碳",
)  # fmt: skip

#: the directory's organization kinds, as the extraction names them
DIRECTORY_KINDS = {
    "enterprise": "enterprise",
    "park_operator": "enterprise",
    "government": "government",
    "university": "university",
    "hospital": "hospital",
    "financial": "financial",
    "association": "other",
    "other": "other",
}


_WORD_CHAR = re.compile(r"[0-9A-Za-z\u00c0-\u024f]")
#: what an English name never spans: Chinese characters and punctuation (they end a word, as spaces do)
_NOT_FOR_ENGLISH = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class Scan:
    """An article prepared for phrase look-ups: lower-cased, with a map from each character back to the text.

    ``words``: whitespace runs made one space and Chinese characters made spaces (English names match whole
    words); ``chars``: all whitespace dropped (Chinese names match across a line break or a stray space).
    """

    words: str
    words_at: list[int]
    chars: str
    chars_at: list[int]

    @classmethod
    def of(cls, text: str) -> Scan:
        words, words_at, chars, chars_at = [], [], [], []
        blank = True
        for i, ch in enumerate(text.lower()):
            if ch.isspace():
                if not blank:
                    words.append(" ")
                    words_at.append(i)
                blank = True
                continue
            chars.append(ch)
            chars_at.append(i)
            words.append(" " if _NOT_FOR_ENGLISH.match(ch) else ch)
            words_at.append(i)
            blank = False
        return cls("".join(words), words_at, "".join(chars), chars_at)


def tokenized(text: str) -> Scan:
    """The text prepared for the gazetteer's look-ups (one pass; no language model, nothing to load)."""
    return Scan.of(text)


@dataclass
class PhraseIndex:
    """Known phrases in an Aho-Corasick automaton (pyahocorasick): an article is read once, whatever the
    number of names, and 100,000 names are indexed in well under a second."""

    automaton: ahocorasick.Automaton = field(default_factory=ahocorasick.Automaton)
    whole_words: bool = False

    @classmethod
    def of(cls, phrases: list[str], *, whole_words: bool) -> PhraseIndex:
        index = cls(whole_words=whole_words)
        for phrase in phrases:
            key = " ".join(phrase.lower().split()) if whole_words else "".join(phrase.lower().split())
            if len(key) >= 2:
                index.automaton.add_word(key, len(key))
        if len(index.automaton):
            index.automaton.make_automaton()
        return index

    def __len__(self) -> int:
        return len(self.automaton)

    def spans(self, text: str, at: list[int]) -> list[tuple[int, int]]:
        """(start, end) in the original text of every phrase found in ``text`` (a Scan's view)."""
        found = []
        for last, length in self.automaton.iter(text):
            first = last - length + 1
            if self.whole_words and (
                (first and _WORD_CHAR.match(text[first - 1]) and _WORD_CHAR.match(text[first]))
                or (last + 1 < len(text) and _WORD_CHAR.match(text[last]) and _WORD_CHAR.match(text[last + 1]))
            ):
                continue  # part of a longer word
            found.append((at[first], at[last] + 1))
        return found


@dataclass
class Gazetteer:
    """Phrase indexes over known names, one per script; ``names`` maps a lower-cased name to (name, kind)."""

    names: dict[str, tuple[str, str]] = field(default_factory=dict)
    industries: tuple[str, ...] = INDUSTRY_TERMS
    _matchers: dict[str, PhraseIndex] = field(default_factory=dict)
    _industry_matchers: dict[str, PhraseIndex] = field(default_factory=dict)

    @classmethod
    def build(cls, organizations: list[tuple[str, str]], industries: list[str] = ()) -> Gazetteer:
        """From (name, kind) pairs (names and aliases alike) and industry names."""
        names: dict[str, tuple[str, str]] = {}
        for name, kind in organizations:
            name = " ".join((name or "").split())
            key = name.casefold()
            if len(name) >= 2 and key not in names:
                names[key] = (name, DIRECTORY_KINDS.get(kind, "other"))
        terms = dict.fromkeys(t for t in (*INDUSTRY_TERMS, *industries) if t and len(t) >= 2)
        gazetteer = cls(names=names, industries=tuple(terms))
        gazetteer._matchers = cls._matchers_of([n for n, _k in names.values()])
        gazetteer._industry_matchers = cls._matchers_of(list(terms))
        return gazetteer

    @staticmethod
    def _matchers_of(phrases: list[str]) -> dict[str, PhraseIndex]:
        """Chinese names (any CJK character) match anywhere in the characters; the others as whole words."""
        chinese, other = [], []
        for phrase in phrases:
            (chinese if CJK.search(phrase) else other).append(phrase)
        return {"en": PhraseIndex.of(other, whole_words=True), "zh": PhraseIndex.of(chinese, whole_words=False)}

    def find(self, scan: Scan, *, industries: bool = False) -> list[tuple[int, int]]:
        """Character spans of known names, longest first where they overlap. An English article names Chinese
        companies and the other way round: both indexes read every article."""
        matchers = self._industry_matchers if industries else self._matchers
        found = []
        if len(matchers.get("en", ())):
            found += matchers["en"].spans(scan.words, scan.words_at)
        if len(matchers.get("zh", ())) and CJK.search(scan.chars):
            found += matchers["zh"].spans(scan.chars, scan.chars_at)
        spans = sorted(set(found), key=lambda span: (span[0], -(span[1] - span[0])))
        kept: list[tuple[int, int]] = []
        for start, end in spans:
            if kept and start < kept[-1][1]:
                continue
            kept.append((start, end))
        return kept

    def kind_of(self, name: str) -> str | None:
        known = self.names.get(" ".join(name.split()).casefold())
        return known[1] if known else None


_lock = threading.Lock()
_cached: tuple[tuple, Gazetteer] | None = None
#: set by the directory's save and delete signals in this process; other processes notice within RECHECK_SECONDS
_stale = False
_checked_at = 0.0
RECHECK_SECONDS = 300


def mark_stale(**kwargs) -> None:
    global _stale
    _stale = True


def forget() -> None:
    """Drop the cached gazetteer (tests start from a known state with it)."""
    global _cached, _stale, _checked_at
    with _lock:
        _cached, _stale, _checked_at = None, False, 0.0


def _fingerprint() -> tuple:
    from django.db.models import Count, Max

    from parkos.directory.models import Industry, Organization, OrganizationAlias

    parts = []
    for model in (Organization, OrganizationAlias, Industry):
        row = model.objects.aggregate(n=Count("pk"), last=Max("last_updated"))
        parts.append((row["n"], row["last"]))
    return tuple(parts)


def directory_gazetteer() -> Gazetteer:
    """The gazetteer of the directory as it is now, cached per process.

    A change in this process (signals) rebuilds it at once; a change made by another process is seen after at most
    RECHECK_SECONDS, when the row counts and latest edits are compared again (three aggregate queries, not run
    for every article). Inside a transaction that changed the directory, the gazetteer is built for the call and
    not kept: that transaction may still roll back.
    """
    global _cached, _stale, _checked_at
    from django.db import connection

    with _lock:
        now = time.monotonic()
        if _cached and not _stale and now - _checked_at < RECHECK_SECONDS:
            return _cached[1]
        fingerprint = _fingerprint()
        if _cached and _cached[0] == fingerprint:
            _checked_at = now
            _stale = _stale and connection.in_atomic_block
            return _cached[1]
        gazetteer = _build()
        if _stale and connection.in_atomic_block:
            return gazetteer
        _cached, _checked_at, _stale = (fingerprint, gazetteer), now, False
        return gazetteer


def _build() -> Gazetteer:
    from parkos.directory.models import Industry, Organization, OrganizationAlias

    organizations: list[tuple[str, str]] = []
    for name, name_en, kind in Organization.objects.values_list("name", "name_en", "kind").iterator():
        organizations.append((name, kind))
        if name_en:
            organizations.append((name_en, kind))
    organizations += list(OrganizationAlias.objects.values_list("name", "organization__kind").iterator())
    industries = [n for pair in Industry.objects.values_list("name", "name_en") for n in pair if n]
    return Gazetteer.build(organizations, industries)
