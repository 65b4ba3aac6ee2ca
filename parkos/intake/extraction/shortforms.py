"""Short forms: the other ways a story writes an organization it has named in full once.

"临港集团" for "上海临港经济发展（集团）有限公司", "Hengyuan Group" for "Shanghai Hengyuan Industrial Development
(Group) Co., Ltd.", "区政府" for "奉贤区人民政府", "the Group", "the district", "both sides". The same test decides
whether a name an article gives is one the directory holds under a longer written form (selectors use it).
"""

from __future__ import annotations

import re

from parkos.intake.extraction.text import CJK, words

#: what a Chinese short form may end in, and what the full name must hold for it ("政府" in "人民政府")
_ZH_TAILS = (
    ("区政府", "区人民政府"), ("市政府", "市人民政府"), ("县政府", "县人民政府"), ("政府", "政府"),
    ("管委会", "管理委员会"), ("管委会", "管委会"), ("集团", "集团"), ("公司", "公司"), ("银行", "银行"),
    ("大学", "大学"), ("学院", "学院"), ("医院", "医院"), ("研究院", "研究院"), ("基金", "基金"),
)  # fmt: skip
#: the places a Chinese company name opens with, never the distinctive part of it
_ZH_PLACE = re.compile(
    r"^(?:中国|上海|北京|天津|重庆|江苏|浙江|安徽|广东|山东|福建|湖北|湖南|四川|河南|河北|江西|广西|"
    r"[\u4e00-\u9fff]{1,3}[省市])"
)
#: words of an English name that say nothing about which organization it is
GENERIC_EN = frozenset(
    words(
        "the of and co co. ltd ltd. co.,ltd. inc inc. corp corp. limited company group holdings holding shanghai beijing "
        "jiangsu zhejiang china chinese industrial development investment technology park people's government district "
        "municipal city committee management administrative"
    )
)
_LEGAL_EN = re.compile(r"(?:,? (?:co\.,? ?ltd\.?|ltd\.?|inc\.?|corp\.?|limited|gmbh|ag|ab|llc|plc))+$", re.I)


def _tokens(name: str) -> list[str]:
    return re.findall(r"[\w'’]+", _LEGAL_EN.sub("", name).casefold().replace("’", "'"))


def distinctive_en(name: str) -> set[str]:
    """ "Shanghai Hengyuan Industrial Development (Group) Co., Ltd." -> {"hengyuan"}."""
    return {t.removesuffix("'s") for t in _tokens(name) if t not in GENERIC_EN and len(t) > 1}


def is_short_form(short: str, full: str) -> bool:
    """Whether ``short`` is another written form of ``full``: a part of it ("曜石医疗", "Norvale Biotherapeutics"),
    its distinctive word with its kind ("临港集团", "Hengyuan Group", "区政府" for "奉贤区人民政府")."""
    short, full = " ".join(short.split()), " ".join(full.split())
    if not short or len(short) >= len(full):
        return False
    if CJK.search(short):
        return _is_short_form_zh(short, full)
    mine, theirs = _tokens(short), _tokens(full)
    distinctive = {t.removesuffix("'s") for t in mine if t not in GENERIC_EN and len(t) > 1}
    theirs_bare = {t.removesuffix("'s") for t in theirs}
    # every word of the short form is in the full name ("Hengyuan Group"), and one of them says which organization
    # ("the People's Government of Xinwu District" is not "Xinwu District Science and Technology Bureau")
    return bool(distinctive) and all(t.removesuffix("'s") in theirs_bare for t in mine if t not in ("the", "of"))


#: abbreviations a Chinese story uses for the words of a full name ("丰海农商行", "武进高新区管委会", "市国资委")
_ZH_ABBREVIATIONS = {
    "农商行": "农村商业银行", "农商银行": "农村商业银行", "高新区": "高新技术产业开发区", "经开区": "经济技术开发区",
    "开发区": "开发区", "管委会": "管理委员会", "国资委": "国有资产监督管理委员会", "住建局": "住房和城乡建设局",
    "发改委": "发展和改革委员会", "工信局": "工业和信息化局", "商务局": "商务局", "科技局": "科学技术局",
}  # fmt: skip
_ZH_ABBREVIATION = re.compile("|".join(sorted(_ZH_ABBREVIATIONS, key=len, reverse=True)))


def _abbreviated_zh(short: str, full: str) -> bool:
    """ "丰海农商行" for "丰海农村商业银行股份有限公司", "武进高新区管委会" for "武进国家高新技术产业开发区管理委员会":
    the short form's own characters and the expanded abbreviations stand in the full name in order (a few
    characters such as "国家" may stand between), and a distinctive part of two characters or more opens it."""
    pieces = _ZH_ABBREVIATION.split(short)
    expansions = [_ZH_ABBREVIATIONS[m.group()] for m in _ZH_ABBREVIATION.finditer(short)]
    if not expansions or len(pieces[0]) < 2 or _ZH_PLACE.fullmatch(pieces[0]):
        return False
    parts = [pieces[0]]
    for expansion, piece in zip(expansions, pieces[1:], strict=True):
        parts += [expansion, piece] if piece else [expansion]
    pattern = ".{0,4}".join(re.escape(part) for part in parts)
    return bool(re.search(pattern, full))


#: a unit of an organization named after it: "东湖大学生命科学学院" is not "东湖大学", "X银行苏州分行" not "X银行"
_ZH_UNIT = re.compile(r"(?:学院|分行|支行|分公司|子公司|研究院|研究所|医院|中心|实验室)$")
_ZH_LEGAL_INSIDE = re.compile(r"股份有限公司|有限责任公司|有限公司")


def _is_short_form_zh(short: str, full: str) -> bool:
    if len(short) < 2:
        return False
    if full.startswith(short) and _ZH_UNIT.search(full) and not _ZH_UNIT.search(short):
        return False
    if _ZH_LEGAL_INSIDE.sub("", full) == short:
        return True  # "海西银行苏州分行" for "海西银行股份有限公司苏州分行"
    if _abbreviated_zh(short, full):
        return True
    if short in full and len(short) >= 3 and not _ZH_PLACE.fullmatch(short):
        return True
    for tail, needs in _ZH_TAILS:
        if not short.endswith(tail) or needs not in full:
            continue
        core = short[: -len(tail)]
        if tail.endswith("政府") or tail == "管委会":
            # "区政府" on its own is the district's government; "嘉定区政府" needs "嘉定" in it
            level = tail[0] if tail[0] in "区市县" else ""
            return (not core or core in full) and (not level or level in full)
        if len(core) >= 2 and core in full and not _ZH_PLACE.fullmatch(core):
            return True
    return False


def search_words(short: str) -> list[str]:
    """What to look a short form up by in the directory: its distinctive core ("临港" of "临港集团", "hengyuan")."""
    short = " ".join(short.split())
    if CJK.search(short):
        for tail, _needs in _ZH_TAILS:
            if short.endswith(tail) and len(short) - len(tail) >= 2:
                return [short[: -len(tail)]]
        return [short] if len(short) >= 2 else []
    return sorted(distinctive_en(short), key=len, reverse=True)[:2]


def best_full_form(short: str, names: list[str]) -> str | None:
    """The one name ``short`` is a short form of; None when none is or several are (an ambiguous "公司")."""
    found = [n for n in dict.fromkeys(names) if is_short_form(short, n)]
    return found[0] if len(found) == 1 else None


# --- the group, the district, both sides ----------------------------------------------------------------

#: English references back to an organization already named, and the kind of organization each means
REFERENCE_EN = re.compile(
    r"\b(?:the|its|their) (?P<word>group|company|firm|bank|university|institute|hospital|district(?: government)?|"
    r"city(?: government)?|county|municipal government|local government|administrative committee|"
    r"management committee|zone|park operator|park company|operating company|operator|developer|fund|investor|branch)\b",
    re.I,
)
REFERENCE_KINDS = {
    "group": ("enterprise", r"group|集团"), "company": ("enterprise", ""), "firm": ("enterprise", ""),
    "bank": ("financial", r"bank|银行"), "university": ("university", ""), "institute": ("university", ""),
    "hospital": ("hospital", ""), "district": ("government", r"district|区"), "city": ("government", r"city|municipal|市"),
    "county": ("government", r"county|县"), "municipal government": ("government", ""),
    "local government": ("government", ""), "administrative committee": ("government", r"committee|委员会|管委会"),
    "management committee": ("government", r"committee|委员会|管委会"), "zone": ("government", r"committee|zone"),
    "park operator": ("enterprise", r"park|园区"), "park company": ("enterprise", r"park|园区"),
    "operating company": ("enterprise", r"operat|运营"),
    "operator": ("enterprise", ""), "developer": ("enterprise", ""), "fund": ("financial", r"\bfunds?\b|基金"),
    "investor": ("enterprise", ""), "branch": ("", r"branch|分行|分公司"),
}  # fmt: skip
#: Chinese references back: "区政府", "市政府", "管委会", "集团" on its own
REFERENCE_ZH = re.compile(r"(?<![\u4e00-\u9fff]{2})(?P<word>区政府|市政府|县政府|管委会|集团|公司)")
REFERENCE_KINDS_ZH = {
    "区政府": ("government", "区"), "市政府": ("government", "市"), "县政府": ("government", "县"),
    "管委会": ("government", r"管理委员会|管委会"), "集团": ("enterprise", "集团"), "公司": ("enterprise", "公司"),
}  # fmt: skip
#: "both sides", "the two parties", "双方", "三方": the parties of the agreement just named
BOTH_SIDES = re.compile(
    r"\b(?:both sides|both parties|the two (?:sides|parties|companies)|the three (?:sides|parties)|all three parties|"
    r"the parties)\b|双方|三方|各方",
    re.I,
)


def referred(word: str, organizations, before: int, *, chinese: bool = False) -> str | None:
    """The organization ``word`` ("the Group", "区政府") refers back to: the latest one named before ``before``
    of its kind (its name holding the word's clue when it has one). ``organizations`` are FoundOrganization
    mentions in text order; their names are returned as written (map them to the listed name)."""
    kinds = REFERENCE_KINDS_ZH if chinese else REFERENCE_KINDS
    key = word if chinese else word.casefold()
    if key not in kinds:
        key = key.removesuffix(" government")
    kind, clue = kinds.get(key, ("", ""))
    if not kind and not clue:
        return None
    # "the branch": of whatever kind, a name with the word in it
    earlier = [o for o in organizations if o.span[0] < before and (o.kind == kind or not kind)]
    if clue:
        earlier = [o for o in earlier if re.search(clue, o.name, re.I)] or (
            earlier if kind not in ("government", "") else []
        )
    return earlier[-1].name if earlier else None
