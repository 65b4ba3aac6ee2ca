"""Organizations in an article: the directory's names first, then names built the way organizations are named.

English names are runs of capitalised words that hold a head word ("Group", "Bank", "University",
"People's Government", "Co., Ltd."); Chinese names end in a suffix ("有限公司", "集团", "人民政府", "大学")
and reach back to the nearest punctuation or joining word. The kind follows from the head word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parkos.intake.extraction.gazetteer import Gazetteer, Scan
from parkos.intake.extraction.people import SURNAMES_PINYIN
from parkos.intake.extraction.shortforms import is_short_form
from parkos.intake.extraction.text import CJK, words

# --- kinds ------------------------------------------------------------------------------------------

_KIND_WORDS_EN = (
    ("hospital", r"hospital|medical cent(?:er|re)|clinic"),
    ("financial", r"bank|fund|capital|securities|insurance|ventures|asset management|financial|leasing co|"
     r"investment holding(?!.*\b(?:group|co)\b)"),
    ("university", r"university|college|academy|institute|school|laborator(?:y|ies)|\blab\b"),
    ("government", r"government|committee|commission|bureau|administration|department|ministry|office|council|"
     r"authority|agency|consulate|embassy|municipality|promotion cent(?:er|re)|\bcpc\b|people's congress|cppcc"),
    ("enterprise", r"\bco\b|ltd|inc\b|corp|company|group|holdings?|technolog|motors?|electronics|pharma|"
     r"semiconductor|industries|industrial|energy|manufacturing|logistics|materials|systems|solutions|gmbh|\bag\b|"
     r"\bplc\b|\bllc\b|\bsa\b|\bsas\b|\bsarl\b|limited|\bpte\b|\bk\.k\.|\ba/s\b|robotics|\bs\.a\.|\bb\.v\.|\bn\.v\.|(?-i:\bAS$)|"
     r"\bsdn\b|\bbhd\b|berhad|\btbk\b|\bsaoc\b|\bsaog\b|\bpjsc\b|(?-i:^PT )"),
)  # fmt: skip
_KIND_WORDS_ZH = (
    ("hospital", "医院|卫生院"),
    ("financial", "银行|农商行|基金|证券|保险|资本|信托|创投|金融|资产管理|融资租赁"),
    ("university", "大学|学院|研究院|研究所|科学院|实验室|学校|高校|研究中心"),
    ("government", "政府|委员会|管委会|区委|市委|县委|省委|党委|局$|厅$|办公室|人大|政协|大使馆|领事馆|部$"),
    ("enterprise", "公司|集团|企业|股份|工厂|厂$"),
)
_KIND_EN = [(kind, re.compile(words, re.I)) for kind, words in _KIND_WORDS_EN]
_KIND_ZH = [(kind, re.compile(words)) for kind, words in _KIND_WORDS_ZH]


def kind_of(name: str, language: str) -> str:
    """The kind an organization's name says it is (the first matching family, hospitals before universities)."""
    if language != "zh" and _ACADEMIC_OF.search(name) and not _KIND_EN[0][1].search(name):
        return "university"  # "Jinling Institute of Financial Technology": the institute, not the field it teaches
    for kind, pattern in _KIND_ZH if language == "zh" else _KIND_EN:
        if pattern.search(name):
            return kind
    return "other"


_ACADEMIC_OF = re.compile(
    r"^(?:[A-Z][\w'’-]* )*(?:University|Institute|College|Academy) of (?!.*\b(?:Bank|Group|Co\.|Ltd)\b)"
)


# --- English ----------------------------------------------------------------------------------------

#: words that make a capitalised run an organization
_HEADS_EN = (
    r"Co\.,? Ltd\.?|Co\.|Ltd\.?|Limited|Inc\.?|Corp\.?|Corporation|Company|Group|Holdings?|Bank|University|"
    r"College|Institute|Academy|Hospital|Government|Committee|Commission|Bureau|Administration|Department|Ministry|"
    r"Office|Council|Association|Federation|Chamber of Commerce|Fund|Capital|Securities|Insurance|Partners|Ventures|"
    r"Laboratory|Lab|Authority|Agency|Alliance|Foundation|Consulate(?: General)?|Embassy|GmbH|AG|AB|SA|NV|BV|PLC|LLC|SE|"
    r"S\.A\.|B\.V\.|N\.V\.|S\.p\.A\.|(?-i:AS|plc)|"
    r"A/S|K\.K\.|Pte\.? Ltd\.?|SAS|SARL|Sdn\.? Bhd\.?|Bhd\.?|Berhad|Tbk|SAOC|SAOG|PJSC|Management Board|(?-i:PT(?= [A-Z][a-z]))|"
    r"(?:Investment |Trade )?Promotion Cent(?:er|re)|Transfer Cent(?:er|re)|Technologies|Technology|Pharmaceuticals?|Semiconductors?|Motors|Electronics|Industries|Systems|Medical Center|"
    r"Management Committee|People's Government|Municipal Government|Research Center|Research Centre|School"
)
#: heads that open a name ("Bank of China", "University of Science and Technology of China", "Ministry of ...")
_OPENING_HEADS = set(
    words(
        "bank university ministry department bureau institute academy college people's embassy consulate office "
        "chamber school federation association"
    )
)
#: a word of a name; "(Changshu)" inside a name is one, "(SIPAC)" after it is its acronym and ends it; "A/S", "K.K."
_WORD = r"(?:(?:Co|St|No|Bros|Mfg|Pte)\.|\((?:Limited|General) Partnership\)|A/S|S\.p\.A\.|(?:[A-Z]\.){2}(?=[\s,;)]|$)|[A-Z][\w'’&\-]*|[A-Z]{2,}|\((?![A-Z&]{2,}\)(?! (?:Ltd|Limited|Co|Inc|Pvt|Pte|Sdn|LLC)\b))[A-Z][\w'’&\-]*(?: [A-Z][a-z]+(?=\) (?:Co|Ltd|Limited|Inc|Pte|Sdn|LLC|Group)\b))?\))"
_CONNECTOR = r"(?:of|the|and|for|&|de|du|für)"
_RUN_EN = re.compile(
    rf"{_WORD}(?: (?:{_CONNECTOR} )*{_WORD})*(?:,? (?:Co\.,? ?Ltd\.?|Pte\.? Ltd\.?|Ltd\.?|Inc\.?|Corp\.?|plc)(?![\w]))?"
)
_HEAD_EN = re.compile(rf"\b(?:{_HEADS_EN})(?![\w/])", re.I)
_HEAD_CASED = re.compile(rf"\b(?:{_HEADS_EN})(?![\w/])")
#: "... Group and Spanish" at the end of a run: the next organization's description starts, not its name
_DANGLING_AND = re.compile(r",? (?:and|&) ([A-Z][\w'’\-]*(?: [A-Z][\w'’\-]*)?)$")
_ENDS_IN_HEAD = re.compile(rf"(?:\b(?:{_HEADS_EN})|\bCo)$")
#: words that start a sentence or a title and are not part of a name
_LEADING_NOISE = re.compile(
    r"^(?:(?:The|On|In|At|As|By|With|From|For|During|After|Before|Under|Today|Yesterday|Both|According to|About|"
    r"Meanwhile|Also|And|Of|Is|Are|Was|Were|Does|Did|Will|Has|Have|Can|Why|How|What|When|Where|Present|Attending|Witnessed by|Signed by|Led by|Mr\.?|Ms\.?|Dr\.?|"
    r"(?:Representatives|Officials|Leaders|Executives|Heads|Delegates|Delegations) (?:of|from)|"
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"(?:[A-Z][a-z]+ )?[A-Z][\w]*-(?:based|headquartered|listed|owned|funded|backed)|(?:[A-Z][a-z]+ )?(?!People['’]s)[A-Z][a-z]+['’]s(?= [A-Z]))\s+)+"
)
_TITLE_OF = re.compile(
    r"^.*?\b(?:Secretary|Mayor|Governor|Chairman|Chairwoman|Chair|President|Director(?:-General)?|"
    r"Manager|Head|Chief|Minister|Dean|Founder|CEO|Member|Deputy|Vice|Officer|Partner|Ambassador|Consul|"
    r"Principal|Commissioner|Professor|Engineer)(?: General)?(?: (?!of\b|at\b)[A-Z][a-z]+){0,2} (?:of|at) (?:the )?"
)


#: a Party committee in an English title ("Secretary of the Municipal Party Committee") names no organization
_PARTY_ORGAN = re.compile(r"\bParty Committee\b|^Standing Committee\b")
_PLACE_END = re.compile(r"\b(?:District|City|County|Province|New Area|Zone)$")


_OF_FIELD = re.compile(r"\b(?:Bureau|Ministry|Department|Commission|Office|Administration) of [A-Z][a-z]+$")
_FIELD_AND = re.compile(r"(?:[A-Z][a-z]+ )?Technology(?: [A-Z][a-z]+ [A-Z][a-z]+)?")
#: "Director of the X Bureau of Commerce Kong Fanping": a translated post puts the pinyin name after the organization's
_TRAILING_PINYIN = re.compile(r" (?P<surname>[A-Z][a-z]+) [A-Z][a-z]+$")


def _cut_trailing_name(name: str) -> str:
    trailing = _TRAILING_PINYIN.search(name)
    if trailing and trailing.group("surname") in SURNAMES_PINYIN and _ENDS_OR_OF_HEAD.search(name, 0, trailing.start()):
        return name[: trailing.start()]
    return name


#: what a name cut before a trailing person's name must end in: a head, or a head's "of" field
_ENDS_OR_OF_HEAD = re.compile(
    rf"(?:\b(?:{_HEADS_EN})|\bCo|\b(?:Bureau|Ministry|Department|Commission|Office|Administration) of (?:[A-Z][a-z]+ (?:and )?)*[A-Z][a-z]+)$"
)


def _split_and(name: str, start: int) -> list[tuple[int, int]]:
    """ "Huahong Group and the Bank of Jiangsu" is two organizations; "Science and Technology" is one name."""
    for match in reversed(list(re.finditer(r",? (?:and|&) (?:the )?", name))):
        left = name[: match.start()]
        right = name[match.end() :]
        right_first = right.split(" ")[0].casefold()
        heads = [h.start() for h in _HEAD_CASED.finditer(right)]
        place = _PLACE_END.search(left)  # "Minhang District and Hengyuan Group": a place, then an organization
        if _OF_FIELD.search(left) and _FIELD_AND.fullmatch(right):
            continue  # "Bureau of Industry and Information Technology": one field of the bureau's name
        if (_HEAD_CASED.search(left) or place) and heads and (heads[-1] > 0 or right_first in _OPENING_HEADS):
            return _split_and(left, start) + [(start + match.end(), start + len(name))]
    return [(start, start + len(name))]


_LEGAL_END = re.compile(
    r"\b(?:Co\.,? ?Ltd\.?|Pte\.? Ltd\.?|SAS|SARL|Ltd\.?|Inc\.?|Corp\.?|GmbH|AG|AB|SA|NV|BV|PLC|plc|LLC|SE|S\.p\.A\.|S\.A\.|B\.V\.|N\.V\.|AS|A/S|"
    r"K\.K\.|Sdn\.? Bhd\.?|Bhd\.?|Berhad|Tbk|SAOC|SAOG|PJSC)(?=[\s,;:)]|$)"
)


def _headline_end(text: str) -> int:
    """Where a Title Case Headline ends (0 when the first line is not one): its capitals say nothing."""
    first = text.split("\n", 1)[0]
    words = re.findall(r"[A-Za-z][\w'’-]*", first)
    long_words = [w for w in words if len(w) > 3]
    if len(long_words) >= 4 and sum(w[0].isupper() for w in long_words) >= 0.8 * len(long_words):
        return len(first)
    return 0


#: "Song Lihua of X Institute and Bai Ruoxi of Y": a pinyin name and "of" before an organization are no part of it
_PERSON_OF = re.compile(r"(?:^|,? and )(?P<surname>[A-Z][a-z]+) [A-Z][a-z]+(?:-[a-z]+)? of (?:the )?")


#: "Director of the X Bureau A B and Vice President of Y C D signed": "and" before a capitalised post ends a name
_AND_POST = re.compile(
    r",? and (?=(?:(?:Deputy|Vice|Executive|Senior|First|Standing)[ -])*(?:President|Chairman|Chairwoman|Director|"
    r"Secretary|Member|General Manager|Managing Director|Mayor|Governor|Head|Chief Executive|CEO|Dean)\b)"
)


def _people_of(name: str, start: int) -> list[tuple[str, int]]:
    """A capitalised run cut where "<pinyin name> of" opens an organization's name, and before "and" and a post."""
    if " and " in name:
        posts = list(_AND_POST.finditer(name))
        if posts:
            bounds = [0, *(m.end() for m in posts)]
            ends = [m.start() for m in posts] + [len(name)]
            return [piece for b, e in zip(bounds, ends, strict=True) for piece in _people_of(name[b:e], start + b)]
    cuts = [m for m in _PERSON_OF.finditer(name) if m.group("surname") in SURNAMES_PINYIN]
    if not cuts:
        return [(name, start)]
    pieces = [(name[: cuts[0].start()], start)] if cuts[0].start() else []
    for cut, after in zip(cuts, [*cuts[1:], None], strict=True):
        end = after.start() if after else len(name)
        pieces.append((name[cut.end() : end], start + cut.end()))
    return [(piece, at) for piece, at in pieces if piece]


_GROUP_POST = re.compile(r"Group (?:CEO|CFO|COO|CTO|Chief|Chairman|President|Vice|Managing|General|Executive)\b")
_LEGAL_OF = re.compile(r"(?:Ltd\.?|Inc\.?|Co\.|GmbH|AG|LLC|Tbk|Bhd) of $")
_PLACE_AND = re.compile(r"[A-Z][a-z]+ and (?=[A-Z])")
_AT_PLACE = re.compile(r" at [A-Z][a-z]+(?=[,.;)]| and\b|\n|$)")


def _english_candidates(text: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    runs = [
        piece for run in _RUN_EN.finditer(text, _headline_end(text)) for piece in _people_of(run.group(), run.start())
    ]
    for name, start in runs:
        if not _HEAD_CASED.search(name):
            continue
        dangling = _DANGLING_AND.search(name)
        if dangling and not _HEAD_CASED.search(dangling.group(1)) and _ENDS_IN_HEAD.search(name, 0, dangling.start()):
            name = name[: dangling.start()]  # "Xinyu Lithium Group Co and Norwegian battery maker X": an adjective
        for piece_start, piece_end in _split_and(name, start):
            piece = text[piece_start:piece_end]
            cut = _TITLE_OF.match(piece)  # "Chairman of Huahong Group" -> "Huahong Group"
            if cut and _HEAD_CASED.search(piece[cut.end() :]):
                piece_start += cut.end()
                piece = text[piece_start:piece_end]
            if _GROUP_POST.match(piece):
                continue  # "Group CEO of Straitsbridge", "Group CEO, Straitsbridge": a post in a group, not a name
            bracket = re.match(r"\([^()]*\) (?:and |& )?(?:the )?", piece)
            if bracket:  # "(Nangang) and Hydrolis SAS": the short name the name before was given, then the next name
                piece_start += bracket.end()
                piece = text[piece_start:piece_end]
            noise = _LEADING_NOISE.match(piece)
            if noise:
                piece_start += noise.end()
                piece = text[piece_start:piece_end]
            piece = piece.rstrip(" ,")
            piece = _cut_trailing_name(piece)
            owner = re.search(r"['’]s\b", piece)  # "Tarsis Motors GmbH's chairman", "Tarsis Motors GmbH's CEO"
            if owner and _ENDS_IN_HEAD.search(piece, 0, owner.start()):
                piece = piece[: owner.start()]
            legal = _LEGAL_END.search(piece)
            if legal:  # "Nordlys Materials AB of Sweden": the legal form ends the name
                piece = piece[: legal.end()]
            piece_end = piece_start + len(piece)
            if re.search(r"\b(?:Ltd|Inc|Corp|Co)$", piece) and text[piece_end : piece_end + 1] == ".":
                piece_end += 1
            if not _HEAD_CASED.search(piece) or len(piece) < 4:
                continue
            at_place = _AT_PLACE.match(text, piece_end) if piece.endswith(("Authority", "Board")) else None
            if at_place:  # "the Special Economic Zone Authority at Duqm": an authority named by its place
                piece_end = at_place.end()
            if _PARTY_ORGAN.search(piece):
                continue  # "Member of the Standing Committee of the Municipal Party Committee": part of a title
            if " " not in piece and piece.lower() in _OPENING_HEADS | {"group", "company", "government", "committee"}:
                continue  # a bare head word ("the Group") refers back to a name given before
            place = _PLACE_AND.match(piece) if _LEGAL_OF.search(text, max(0, piece_start - 16), piece_start) else None
            if place:  # "X Co., Ltd. of Changzhou and Y Co., Ltd. of Osaka": the first one's city, then the next name
                piece_start += place.end()
                piece = text[piece_start:piece_end]
            joined = re.match(r"((?:[A-Z][\w\-]+ ){0,2}[A-Z][\w\-]+) and (?:the )?", piece)
            if joined and any(text[s:e].startswith(joined.group(1) + " ") for s, e in found):
                # "Ostara and Wujin Green Building Industry Park Co., Ltd.": a name given before, by its first word
                piece_start += joined.end()
            found.append((piece_start, piece_end))
    for government in _LOWER_GOVERNMENT.finditer(text, _headline_end(text)) if " government" in text else ():
        start, end = government.span("name")
        if not any(s < end and start < e for s, e in found):
            found.append((start, end))
    return found


#: "the Hefei municipal government", "Hefei's Feixi county government": a place's government in lower case, as wires
#: write it (the name as written)
_LOWER_GOVERNMENT = re.compile(
    r"(?<![\w'’-])(?<![A-Z][a-z] )(?P<name>(?!(?:The|A|An|Its|Their|Local|Central|State)\b)[A-Z][a-z]+(?:['’][a-z]+)?(?:[ -][A-Z][a-z]+)? "
    r"(?:municipal|city|district|county|provincial|prefectural|town) (?:people's )?government)\b"
)


# --- Chinese ----------------------------------------------------------------------------------------

_SUFFIXES_ZH = sorted(
    words("""股份有限公司 有限责任公司 集团有限公司 集团股份有限公司 有限公司 分公司 子公司 集团 公司 银行 大学 学院 研究院 研究所
    科学院 实验室 研究中心 技术中心 创新中心 医院 人民政府 政府 管理委员会 管委会 委员会 商会 协会 联合会 总局 分局 局
    分行 支行 农商行 基金 证券 保险 资本 商务局 发改局 科技局 财政局 税务局 统计局 招商局 自然资源和规划局 自然资源局 生态环境局 工信局 投资促进局
    人社局 住建局 市场监管局 教育局 商务厅 科技厅 商务部 大使馆 领事馆 总领事馆"""),
    key=len,
    reverse=True,
)
_SUFFIX_ZH = re.compile("|".join(_SUFFIXES_ZH))
#: where a Chinese name cannot reach back past: punctuation, joining words, verbs of the press
STOP_ZH = re.compile(
    r"[\s，。、；：:“”‘’\"'（）()《》【】\[\]！？!?,.—–-]|与|和(?!信息化|规划|城乡建设|社会保障|改革|旅游|科技)|及|同|跟|向|在|由|为|对|是|将|把|被|从|于|以|代表|签约|签署|签订|"
    r"携手|联合|出席|会见|考察|调研|参加|宣布|落户|入驻|分别|其中|包括|等|的|了|并|且|(?<!国)有(?!限)|来自|举行|召开|暨|陪同|到|赴|"
    r"今天|昨天|上午|下午|日|月|年|本次|此次|双方|共同|见证|主持|致辞|介绍|就|旗下|设立|共建|建设(?!局|厅|银行|集团|有限|股份|$)|打造|成立|组建|筹建|新建|建成|"
    r"租户|承租方|出租方|甲方|乙方|希望|借助|依托|引入|引进|通过|推动|支持|鼓励|吸引|\d|万元|亿元|美元|欧元|下属|所属|作为|成为|位于|"
    r"(?:党委|区委|市委|县委)?(?:书记|区长|市长|省长|县长|主任|局长|董事长|总经理|总裁|院长|校长|行长|主席|部长|常委|委员|负责人)"
)
_MAX_ZH = 26
_INNER_BRACKETS = re.compile(r"[（(](?:集团|控股|中国|上海|北京|深圳|香港|苏州|无锡|江苏|浙江|广州)[）)]$")


#: what stands before a suffix in phrases that are not names ("该公司", "上市公司", "产业基金", "格局")
_GENERIC_PREFIX_ZH = re.compile(
    r"^(?:该|本|此|各|其|每|多|上市|运营|软件|目前|行业|产业|产业母|母|子|分|总|全省|全市|全区|新|控股|投资|合作|相关|有关|"
    r"这些|一批|多家|知名|龙头|骨干|重点|外资|民营|国有|科技型|创新型|头部|配套|金融|地方|商业|政策性|股份制|城市|农村|"
    r"[接来帮让使请据经给对自到于助].?)"
)
_NOT_BUREAU = re.compile(r"(?:格|布|结|当|大|全|开|僵|出|变|时|政|饭|棋|新|终|残|邮)局$")
_JOINING = ("和",)


def _chinese_candidates(text: str) -> list[tuple[int, int]]:
    found = []
    for match in _SUFFIX_ZH.finditer(text):
        end = match.end()
        window_start = max(0, match.start() - _MAX_ZH)
        window = text[window_start : match.start()]
        # "上海临港经济发展（集团）有限公司": a bracketed word inside the name does not end it
        inner = _INNER_BRACKETS.search(window)
        stops = list(STOP_ZH.finditer(window, 0, inner.start() if inner else len(window)))
        start = window_start + stops[-1].end() if stops else window_start
        last = stops[-1] if stops else None
        at = window_start + (last.start() if last else 0)
        if last and last.group() in _JOINING and (at == 0 or STOP_ZH.fullmatch(text[at - 1])) and end - at >= 6:
            start = window_start + last.start()  # "和山精密压铸有限公司": the joining word opens the name
        elif last and last.group() in _JOINING and len(stops) >= 2:
            between = window[stops[-2].end() : last.start()]
            if len(between) == 1 and CJK.fullmatch(between):
                start = window_start + stops[-2].end()  # "鼎和供应链管理有限公司": too short to be a conjunct
        name = text[start:end]
        prefix = name[: len(name) - len(match.group())]
        if len(prefix) < 2 or _GENERIC_PREFIX_ZH.fullmatch(prefix):
            continue  # a bare or generic suffix ("公司", "上市公司") refers back to a name given before
        if match.group() == "局" and (_NOT_BUREAU.search(name) or text[end : end + 1] == "长"):
            continue
        found.append((start, end))
    return found


# --- together ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundOrganization:
    name: str
    kind: str
    span: tuple[int, int]
    #: for an acronym the article defined ("Harlow Tools Co., Ltd. (HTC)"), the name it stands for
    stands_for: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "span": list(self.span)}


def find_organizations(text: str, scan: Scan, language: str, gazetteer: Gazetteer) -> list[FoundOrganization]:
    """Every organization mention, directory names winning over overlapping built ones; in text order."""
    known = gazetteer.find(scan)
    built = _chinese_candidates(text) if language == "zh" else _english_candidates(text)
    spans: list[tuple[int, int, bool]] = [(s, e, True) for s, e in known]
    for start, end in built:
        overlapping = [k for k in spans if k[0] < end and start < k[1]]
        if any(e - s >= end - start for s, e, _k in overlapping):
            continue
        spans = [k for k in spans if k not in overlapping]
        spans.append((start, end, False))
    result = []
    for start, end, is_known in sorted(spans):
        name = text[start:end]
        kind = (gazetteer.kind_of(name) if is_known else None) or kind_of(name, language)
        result.append(FoundOrganization(name, kind, (start, end)))
    if language == "en":
        result = sorted(result + _acronym_mentions(text, result), key=lambda o: o.span)
    return result


#: "Harlow Tools Co., Ltd. (HTC)": capitals in brackets right after a name define its acronym
_ACRONYM_AFTER = re.compile(
    r" ?\((?:(?P<acronym>[A-Z][A-Z&]{1,9})|(?P<word>[A-Z][a-z][\w\-]{2,20})|(?:hereinafter|hereafter)(?: referred to as)?,? [\"“](?:the )?(?P<short>[A-Z][\w&\-]*(?: [A-Z][\w&\-]*){0,3})[\"”])\)"
)


def _acronym_mentions(text: str, found: list[FoundOrganization]) -> list[FoundOrganization]:
    """Every later use of an acronym defined in brackets after a name ("HTC signed ..."), as a mention of that name."""
    mentions = []
    taken = [o.span for o in found]
    for organization in found:
        defined = _ACRONYM_AFTER.match(text, organization.span[1])
        if not defined:
            continue
        if defined.group("word") and not _LEGAL_END.search(organization.name):
            continue  # "Guangzhou Nangang Energy Group Co., Ltd. (Nangang)": a short name after a full legal name only
        # '(hereinafter "the Center")' and "(Nangang)" as well
        acronym = defined.group("acronym") or defined.group("short") or defined.group("word")
        for use in re.compile(rf"(?<![\w(]){re.escape(acronym)}(?![\w)])").finditer(text, defined.end()):
            span = use.span()
            if not any(s < span[1] and span[0] < e for s, e in taken):
                mentions.append(FoundOrganization(acronym, organization.kind, span, organization.name))
    return mentions


def name_key(name: str) -> str:
    key = " ".join(name.split()).casefold()
    return key[4:] if key.startswith("the ") else key


_LEGAL_TAIL = re.compile(
    r"^(?:,? (?:co\.?,? ?ltd\.?|ltd\.?|inc\.?|corp\.?|limited|group|corporation|company))+$|^(?:有限公司|股份有限公司|有限责任公司|集团有限公司)$",
    re.I,
)


_UNIT_AFTER = re.compile(r"(?:学院|分行|支行|分公司|子公司|研究院|研究所|医院|中心|实验室)$")
_ZH_SHORT_SUFFIX = re.compile(r"(集团|公司|大学|银行|医院|学院|研究院|政府|管委会)$")


def _short_form_zh(short: str, full: str) -> bool:
    """ "江南集团" for "江南产业园区发展集团有限公司", "相城区人民医院" for "苏州市相城区人民医院"."""
    if not CJK.search(short) or len(short) >= len(full) or len(short) < 4:
        return False
    if full.startswith(short) and _UNIT_AFTER.search(full[len(short) :]):
        return False  # "东湖大学" is not "东湖大学生命科学学院": a faculty, branch or subsidiary named after it
    if short in full:
        return True
    suffix = _ZH_SHORT_SUFFIX.search(short)
    return bool(suffix) and full.startswith(short[:2]) and suffix.group() in full and len(short) <= 6


def unique_organizations(found: list[FoundOrganization]) -> tuple[list[FoundOrganization], dict[str, str]]:
    """One entry per organization (its first full mention), and the map from every mention's key to the name
    listed: "Huahong Semiconductor" in a headline is "Huahong Semiconductor Co., Ltd." of the story."""
    seen: dict[str, FoundOrganization] = {}
    acronyms = {name_key(o.name): o.stands_for for o in found if o.stands_for}
    for organization in found:
        if not organization.stands_for:
            seen.setdefault(name_key(organization.name), organization)
    canonical = {key: organization.name for key, organization in seen.items()}
    for key in list(seen):
        longer = [k for k in seen if k != key and k.startswith(key) and _LEGAL_TAIL.match(k[len(key) :])]
        longer = longer or [k for k in seen if k != key and _short_form_zh(key, k)]
        if not longer:
            # "临港集团" after "上海临港经济发展（集团）有限公司", "Hengyuan Group" after its full name: the full
            # name named last before the short form, when it is a written form of it
            # a name with its own legal form is a full name: "Orvik AG" is not "Orvik Fluid (Tianjin) Co., Ltd.", nor
            # "Tamsen Optics Co., Ltd." its subsidiary "Tamsen Optics (Wuhan) Co., Ltd."
            legal = bool(_LEGAL_END.search(seen[key].name))
            # "Qiantang University" is not its "Technology Transfer Center of Qiantang University": a unit of it
            longer = [
                k
                for k in seen
                if k != key
                and not legal
                and is_short_form(seen[key].name, seen[k].name)
                and not k.endswith(" of " + key)
                and not k.endswith(" of the " + key)
            ]
            before = [k for k in longer if seen[k].span[0] < seen[key].span[0]]
            longer = sorted(before, key=lambda k: seen[k].span[0], reverse=True) or longer
        if not longer:
            # "the zone's Administrative Committee" after "Administrative Committee of Wuxi National High-tech
            # Industrial Development Zone": generic words only, written in one other name alone
            longer = [k for k in seen if k != key and _generic_part_of(seen[key].name, seen[k].name)]
            longer = longer if len(longer) == 1 else []
        if longer:
            target = longer[0]
            canonical[key] = canonical.get(target, seen[target].name)
            del seen[key]
    for key, full in acronyms.items():
        canonical[key] = canonical.get(name_key(full), full)
    return sorted(seen.values(), key=lambda o: o.span), canonical


def _generic_part_of(short: str, full: str) -> bool:
    """ "Administrative Committee" in "Hefei High-tech Zone Administrative Committee": two or more capitalised generic
    words, all of them in the longer name."""
    from parkos.intake.extraction.shortforms import GENERIC_EN, _tokens

    if CJK.search(short) or len(short) >= len(full):
        return False
    mine = [t for t in _tokens(short) if t not in ("the", "of")]
    return len(mine) >= 2 and all(t in GENERIC_EN for t in mine) and set(mine) <= set(_tokens(full))
