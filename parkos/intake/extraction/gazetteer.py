"""What ParkOS already knows, as phrase matchers: organization names and aliases, industries.

Built once per process from the directory and rebuilt when the directory changes (its row counts and latest
edit are the fingerprint), so that an article names "Huahong" and the draft already points at the
organization the directory calls 华虹半导体有限公司.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from functools import cache

import spacy
from spacy.matcher import PhraseMatcher

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


@cache
def blank(language: str):
    """A blank spaCy pipeline: tokenizer only (Chinese by character), nothing downloaded."""
    return spacy.blank("zh" if language == "zh" else "en")


#: what the English tokenizer never needs to see: Chinese characters and punctuation, and runs without a space
#: longer than any name (spaCy peels prefixes one at a time, so "((((((...)" takes time growing with its square)
_NOT_FOR_ENGLISH = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]|\S{80,}")


def _english_view(text: str) -> str:
    """The text with what the English tokenizer should not see blanked out; same length, so offsets hold."""
    return _NOT_FOR_ENGLISH.sub(lambda match: " " * len(match.group()), text)


def tokenized(text: str) -> dict:
    """The text as spaCy docs for both tokenizers (Latin names match on words, Chinese ones on characters)."""
    docs = {"en": blank("en").make_doc(_english_view(text))}
    if CJK.search(text):
        docs["zh"] = blank("zh").make_doc(text)
    return docs


@dataclass
class Gazetteer:
    """Phrase matchers over known names, one per language; ``names`` maps a lower-cased name to (name, kind)."""

    names: dict[str, tuple[str, str]] = field(default_factory=dict)
    industries: tuple[str, ...] = INDUSTRY_TERMS
    _matchers: dict[str, PhraseMatcher] = field(default_factory=dict)
    _industry_matchers: dict[str, PhraseMatcher] = field(default_factory=dict)

    @classmethod
    def build(cls, organizations: list[tuple[str, str]], industries: list[str] = ()) -> Gazetteer:
        """From (name, kind) pairs (names and aliases alike) and industry names."""
        names: dict[str, tuple[str, str]] = {}
        for name, kind in organizations:
            name = " ".join((name or "").split())
            if len(name) >= 2 and name.casefold() not in names:
                names[name.casefold()] = (name, DIRECTORY_KINDS.get(kind, "other"))
        terms = dict.fromkeys(t for t in (*INDUSTRY_TERMS, *industries) if t and len(t) >= 2)
        gazetteer = cls(names=names, industries=tuple(terms))
        for language in ("en", "zh"):
            gazetteer._matchers[language] = gazetteer._matcher(language, [n for n, _k in names.values()])
            gazetteer._industry_matchers[language] = gazetteer._matcher(language, list(terms))
        return gazetteer

    @staticmethod
    def _matcher(language: str, phrases: list[str]) -> PhraseMatcher:
        nlp = blank(language)
        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        wanted = [p for p in phrases if bool(CJK.search(p)) == (language == "zh")]
        if wanted:
            matcher.add("TERM", list(nlp.tokenizer.pipe(wanted)))
        return matcher

    def find(self, docs: dict, *, industries: bool = False) -> list[tuple[int, int]]:
        """Character spans of known names, longest first where they overlap. ``docs`` holds the article tokenized
        both ways ({"en": doc, "zh": doc}): an English article names Chinese companies and the other way round."""
        matchers = self._industry_matchers if industries else self._matchers
        found = []
        for language, doc in docs.items():
            matcher = matchers.get(language)
            if matcher is not None and len(matcher):
                found += [(doc[s:e].start_char, doc[s:e].end_char) for _id, s, e in matcher(doc)]
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
