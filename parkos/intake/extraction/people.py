"""People in an article, each with the titles the article gives them, and the by-lines kept apart.

A capitalised pair of words is a person only with evidence: a title right before it ("Mayor Zhang
Wei", "区委书记李倩") or right after it ("Li Qian, Party Secretary of Xinwu District, and ..."), or an
honorific ("Ms. Li Na"). Reporters, editors and photographers named in by-lines are not people of the story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parkos.intake.extraction.text import words

# --- shared -----------------------------------------------------------------------------------------


@dataclass
class FoundPerson:
    name: str
    span: tuple[int, int]
    titles: list[str] = field(default_factory=list)
    organization: str | None = None
    #: where each title was said, to find the organization it belongs to
    title_spans: list[tuple[int, int]] = field(default_factory=list)
    #: whose title it is when written before the name with a possessive: "Ruichi" of "Ruichi's chairman Lin
    #: Zhiqiang", "its" of "its chief executive, Arjun Mehta" (resolved against the article's organizations)
    owner: str | None = None
    #: where the owner was written
    owner_at: int = 0
    #: found only as "Corvane's Piet Laar": a person only when the owner is an organization of the article
    needs_owner: bool = False

    def as_dict(self) -> dict:
        return {"name": self.name, "titles": self.titles, "organization": self.organization, "span": list(self.span)}


@dataclass(frozen=True)
class Byline:
    name: str
    role: str
    span: tuple[int, int]

    def as_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "span": list(self.span)}


def merge(people: list[FoundPerson]) -> list[FoundPerson]:
    """One entry per name within an article, titles gathered from every mention (first mention's span)."""
    merged: dict[str, FoundPerson] = {}
    for person in sorted(people, key=lambda p: p.span):
        key = person.name.casefold()
        if key not in merged:
            merged[key] = person
            continue
        first = merged[key]
        for title, span in zip(person.titles, person.title_spans or [None] * len(person.titles), strict=False):
            if title.casefold() not in {t.casefold() for t in first.titles}:
                first.titles.append(title)
                if span:
                    first.title_spans.append(span)
        first.organization = first.organization or person.organization
        first.needs_owner = first.needs_owner and person.needs_owner
        if first.owner is None and person.owner:
            first.owner, first.owner_at = person.owner, person.owner_at
    for person in merged.values():
        _drop_tail_titles(person)
    return list(merged.values())


def _drop_tail_titles(person: FoundPerson) -> None:
    """ "Minhang Party chief Dai Rong" read as "Minhang Party chief" and, by another pattern, "chief": the shorter is
    the end of the longer, said at the same place, and goes."""
    if len(person.titles) < 2 or len(person.title_spans) != len(person.titles):
        return
    keep = []
    for index, (title, (_start, end)) in enumerate(zip(person.titles, person.title_spans, strict=True)):
        longer = any(
            other_end == end and len(other) > len(title) and other.casefold().endswith(" " + title.casefold())
            for other_index, (other, (_s, other_end)) in enumerate(zip(person.titles, person.title_spans, strict=True))
            if other_index != index
        )
        if not longer:
            keep.append(index)
    person.titles = [person.titles[i] for i in keep]
    person.title_spans = [person.title_spans[i] for i in keep]


# --- English ----------------------------------------------------------------------------------------

_TITLE_WORDS_EN = (
    r"Party Secretary|Secretary(?:-General)?|Mayor|Governor|District (?:Head|Chief|Mayor)|Director(?:-General)?|"
    r"Chairman|Chairwoman|Chairperson|Chair|President|Chief Executive(?: Officer)?|CEO|CFO|CTO|COO|"
    r"Chief (?:Technology|Financial|Operating|Investment|Marketing|Information|Scientific|Commercial) Officer|"
    r"Chief Scientist|"
    r"General Manager|Managing Director|Manager|Founder|Co-founder|Managing Partner|Partner|Head|Chief|Minister|"
    r"Ambassador|Consul(?:-| )General|Consul|Dean|Professor|Prof\.|Academician|Principal|Member|Commissioner|"
    r"Chief Engineer|Executive Director|Country Manager|Officer|Leader|Representative|Spokesperson|Spokesman|"
    r"Administrator|Supervisor|Chancellor|Rector|Premier|Councillor|Councilor|Envoy|Attaché|Counsellor|Executive"
)
_MODIFIERS_EN = r"(?:(?:Deputy|Vice|Executive|Senior|Acting|First|Standing|Permanent|Assistant|Associate|Honorary|" \
    r"Co-|Chief|Regional|Global|General|CPC|Party|Former|District|County|City|Provincial|Municipal|(?-i:Group(?= C[EOT]O))|Finance|Sales|Marketing|Operations|Technical|Commercial|" \
    r"Project|(?-i:President(?= Director)))[ -]?)*"  # fmt: skip
_TITLE_START = re.compile(rf"^(?:the |a |an )?{_MODIFIERS_EN}(?:{_TITLE_WORDS_EN})\b", re.I)
_TITLE_ANY = re.compile(rf"\b(?:{_TITLE_WORDS_EN})\b", re.I)

#: common Chinese surnames in pinyin: a name written the Chinese way in an English article starts with one
SURNAMES_PINYIN = set(
    words(
        """
    Li Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo Zheng
    Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye
    Cheng Wei Su Lu Ding Ren Shen Yao Jin Fu Qian Shi Tan Liao Zou Xiong Bai Meng Qin Qiu Hou
    Xue Yan Duan Lei Long Tao Mao Hao Gu Gong Shao Wan Kong Chang Kang Ou Ouyang Situ Zhuge
    Fan Fang Dai Xia Zhong Jia Wen Lai Lou Mo Ni Niu Pang Qi Rao Sha Tong Wei Yin Zhan Cui
    Geng Guan Hong Ji Kou Lan Le Lian Mei Miao Mu Nie Ou Pei Qu Ruan Shang Tu Xiang Xing Yi
    You Zhai Zhuang Zuo Bao Bian Bo Chai Che Chu Diao Gan Ge Hua Huo Jing Ju Kang Kuang Lang
    Leng Ling Man Ning Pu Quan Sang Sui Tai Tie
    """
    )
)
_NAME_WORD = r"[A-Z][a-z]+(?:[-'][A-Za-z][a-z]+)?"
#: "Ida Berg", "Ida M. Berg", "Tan Wei Ming", and with initials for given names: "T. Yoshida", "K.C. Lim"
_NAME_EN = (
    rf"(?:(?:[A-Z]\.){{1,2}} {_NAME_WORD}(?: {_NAME_WORD})?(?! [A-Z][a-z])|"
    rf"{_NAME_WORD}(?: [A-Z]\.)?(?: (?:van der |van |von |de |da |di |le |al-|bin |binti |bint |ibn |Al |Wan |Thi |Van )?{_NAME_WORD}){{1,2}})"
)
_NAME_AT_END = re.compile(rf"(?:^|(?<=[\s(\"“]))(?:(?:Mr|Ms|Mrs|Dr|Prof)\.? )?({_NAME_EN})$")
_NAME_AT_START = re.compile(
    rf"^(?:(?:and|with|by|including|as well as|while|both|Mr\.?|Ms\.?|Mrs\.?|Dr\.?) )*({_NAME_EN})"
)
_OWNER_WORDS = r"park company|park operator|park|group|company|firm|bank|university|district|zone|operator|developer|" \
    r"institute|hospital|center|centre|committee|college|lab|laboratory|fund|maker|manufacturer|producer|supplier|" \
    r"refiner|lender|landlord|investor|subsidiary|branch|joint venture"  # fmt: skip
#: "Professor Ma Lin", "Dr. Ida Holm": an academic title or honorific between a post and the name
_NAME_PREFIX = r"(?:(?:Professor|Prof\.|Dr\.?|Mr\.?|Ms\.?|Mrs\.?) )?"
#: "the company's quality director", "Greenloop's China head": one qualifying word before a post
_QUALIFIER = (
    r"(?:(?i:(?!(?:and|the|of|its|their|deputy|vice|executive|senior|acting|first|standing|assistant|associate|"
    rf"honorary|chief|general|former|{_TITLE_WORDS_EN})\b))[A-Za-z][\w-]* )?"
)
_ONE_TITLE_EN = rf"(?i:{_MODIFIERS_EN}(?:{_TITLE_WORDS_EN}))"
_POSSESSIVE_TITLE = re.compile(
    rf"(?:\b(?P<pronoun>[Ii]ts|[Tt]heir|[Ww]hose|[Oo]ur|[Tt]he (?:[a-z][\w-]* ){{0,2}}?(?i:{_OWNER_WORDS})['’]s)|"
    rf"\b(?P<owner>[A-Z][\w&\-]*(?: [A-Z][\w&\-]*){{0,3}})(?:['’]s|(?<=s)['’])) "
    rf"(?P<title>{_QUALIFIER}{_ONE_TITLE_EN}(?: of the Board)?(?: and {_ONE_TITLE_EN})?)(?:,)? {_NAME_PREFIX}"
    rf"(?P<name>{_NAME_EN})\b"
)
#: "Wu Dan, the park company's general manager": a possessive and a title after the name, between commas
#: "Aurel's executive vice president for Asia", "its managing director for China": a post's region or remit
_FOR_REMIT = r"(?: for (?:[A-Z][a-z]+(?: [A-Z][a-z]+)?|operations|research|sales|finance|strategy|investment))?"
_POSSESSIVE_AFTER = re.compile(
    rf"^\s*(?P<owner>(?:the (?:[A-Za-z][\w-]* ){{0,2}}?(?i:{_OWNER_WORDS})|[A-Z][\w&\-]*(?: [A-Z][\w&\-]*){{0,3}})(?:['’]s|(?<=s)['’])) "
    rf"(?P<title>{_QUALIFIER}{_QUALIFIER}{_ONE_TITLE_EN}(?: and {_ONE_TITLE_EN})?{_FOR_REMIT})\s*[.;]?\s*$"
)
#: "Lumeng Semiconductor chairman Xu Kai", "Kestrel CEO Arjun Mehta": an organization's name, then a title in lower
#: case (or an acronym), then the name
_NAMED_BEFORE_TITLE = re.compile(
    rf"\b(?P<pronoun>(?!))?(?P<owner>[A-Z][\w&\-]*(?: [A-Z][\w&\-]*){{0,3}}) "
    rf"(?P<title>(?:(?:deputy|vice|executive|senior|acting|first|standing|assistant|associate|honorary|co-|chief|"
    rf"regional|global|general|former|district|county|city|provincial|municipal)[ -])*"
    rf"(?:{_TITLE_WORDS_EN.lower()}|CEO|CFO|CTO|COO))(?:,)? {_NAME_PREFIX}(?P<name>{_NAME_EN})\b"
)
#: "Ruineng Vice President Tang Yuqing", "Hengrui Chairwoman Helen Tsai": a name of one or two capitalised words that
#: are no post, then a capitalised post, then the name; kept only when the owner is one of the article's organizations
_OWNER_WORD = rf"(?!(?:{_TITLE_WORDS_EN}|Deputy|Vice|Executive|Senior|Acting|First|Standing|Party|CPC|The|By|And|With|" \
    rf"At|In|On|Of|For|As|Its|Their)\b)[A-Z][\w&\-]*"  # fmt: skip
_NAMED_BEFORE_CAPITAL_TITLE = re.compile(
    rf"(?<![A-Za-z&\-] )(?<![A-Za-z]['’]s )\b(?P<pronoun>(?!))?(?P<owner>{_OWNER_WORD}(?: {_OWNER_WORD})?) "
    rf"(?P<title>(?:(?:Deputy|Vice|Executive|Senior|Acting|Assistant|Chief|General)[ -])*"
    rf"(?:President|Chairman|Chairwoman|Chief Executive(?: Officer)?|General Manager|Managing Director|Director|"
    rf"Founder|Head|Member)(?: \([A-Z][\w ]{{2,40}}\))?)(?:,)? (?P<name>{_NAME_EN})\b"
)
#: "Klaus Rieder, Tarsis CEO, and ...": an organization's short name and a post after the name, between commas
_OWNER_TITLE_AFTER = re.compile(
    rf"^\s*(?P<owner>{_OWNER_WORD}(?: {_OWNER_WORD}){{0,2}}) (?P<title>{_ONE_TITLE_EN}(?: and {_ONE_TITLE_EN})?"
    rf"(?: for (?:[A-Z][a-z]+(?: [A-Z][a-z]+)?|operations|research|sales|finance|strategy|investment))?)\s*[.;]?\s*$"
)
_IS_TITLE_EN = re.compile(
    rf"(?:^|(?<=[\s(\"“]))({_NAME_EN}),? (?:is|was|serves as|is also|has been) (?:the |a |an )?"
    rf"(?=(?i:{_MODIFIERS_EN}(?:{_TITLE_WORDS_EN}))\b)"
)
#: "Li is the center's deputy director", "Weber is Avelor's vice president for Asia" (at a later mention of the person)
_SURNAME_IS_POST = re.compile(
    rf"(?:(?:Mr|Ms|Mrs|Dr)\.? )?(?P<who>[A-Z][\w'’.\- ]{{1,40}}?) is (?:the |a |an )?"
    rf"(?:(?P<owner>the (?:[a-z][\w-]* ){{0,2}}?(?i:{_OWNER_WORDS})|[A-Z][\w&\-]*(?: [A-Z][\w&\-]*){{0,3}})['’]s )?"
    rf"(?P<title>{_QUALIFIER}{_ONE_TITLE_EN}(?: (?:for|of) [A-Z][a-z]+(?: [A-Z][a-z]+)?)?)(?=[.;,]|$)"
)
#: "Kim Sung-ho runs the Hefei subsidiary as its president": a post said with the organization the person runs
_RUNS_AS = re.compile(
    rf"(?:^|(?<=[\s(\"“]))(?P<name>{_NAME_EN}) (?:runs|heads|leads|manages|chairs|joined) "
    rf"(?P<owner>the (?:[A-Za-z][\w-]* ){{0,2}}?(?i:{_OWNER_WORDS})|[A-Z][\w&\-]*(?: [A-Z][\w&\-]*){{0,3}}) as (?:its|their) "
    rf"(?P<title>{_QUALIFIER}{_ONE_TITLE_EN})\b"
)
_KIND_DASH_LINE = re.compile(r"[A-Z][\w -]{0,60}?(?i:agreement|contract|memorandum|MoU|deal|lease)s?\s*(?:-|–|—|:)\s+")
_NAME_SIDE = re.compile(
    rf"(?:(?<=[-–—:] )|(?<= and )|(?<=, )|(?<=; ))(?P<name>{_NAME_EN}) \((?P<side>[A-Z][^()]{{1,60}})\)"
)
#: "Olivier Roche, who will be the joint venture's general manager, signed for it"
_WHO_IS_POST = re.compile(
    rf"(?:^|(?<=[\s(\"“]))(?P<who>{_NAME_EN}), who (?:is|was|will be|has been|became|becomes) (?:the |a |an )?"
    rf"(?P<owner>the (?:[A-Za-z][\w-]* ){{0,2}}?(?i:{_OWNER_WORDS})|[A-Z][\w&\-]*(?: [A-Z][\w&\-]*){{0,3}})['’]s "
    rf"(?P<title>{_QUALIFIER}{_ONE_TITLE_EN})(?=[.;,]|$)"
)
_NAME_IS_OWNERS_POST = re.compile(
    rf"(?:^|(?<=; ))(?P<who>{_NAME_EN}) is (?:the )?"
    rf"(?P<owner>(?!the\b)[A-Z][\w&\-]*(?: [A-Z][\w&\-]*){{0,3}})['’]s (?P<title>{_QUALIFIER}{_ONE_TITLE_EN})(?=[.;,]|$)"
)
_POSSESSIVE_NAME = re.compile(
    rf"\b(?P<owner>[A-Z][\w&\-]*(?: [A-Z][\w&\-]*){{0,3}})['’]s (?P<name>{_NAME_EN})\b(?!['’]s| [A-Z])"
)
#: "signed by deputy district head Ada Quist": a lower-case title right before a name, after no capitalised word
_LOWER_TITLE_BEFORE = re.compile(
    rf"(?<![A-Z][\w&\-]) (?P<title>(?:(?:deputy|vice|executive|senior|general|district|city|county|municipal) )*"
    rf"(?:head|president|chairman|chairwoman|director|general manager|chief executive|mayor|party secretary|"
    rf"manager|dean|governor)) (?:(?P<academic>Professor|Prof\.|Dr\.?) )?(?P<name>{_NAME_EN})\b"
)
#: "bank president Lu Fei", "institute director Professor Wu Jun": the kind of organization, before a lower-case post
_KIND_BEFORE_POST = re.compile(
    r"\b(?P<noun>bank|institute|university|college|hospital|committee|commission|administration|bureau|company|"
    r"group|firm|zone|park|fund|lab|laboratory|district)\s$"
)
#: the end of an organization's or a place's name, right before a person's name in a title written before it
_HEAD_BEFORE_NAME = r"\b(?:Commerce|Department|Bureau|Committee|Commission|Government|Administration|Office|Group|Board|" \
    r"Ltd\.|Inc\.?|District|City|Province|County|Municipality|Ministry|Council) "  # fmt: skip
_NAME_AFTER_HEAD = re.compile(rf"{_HEAD_BEFORE_NAME}({_NAME_WORD} {_NAME_WORD})$")
#: posts a place is written before: "Henan Vice-Governor", "Jinan Mayor", "Minhang District Party Secretary"
_GOVERNMENT_POST = re.compile(
    r"(?:(?:Deputy|Vice|Executive|First|Standing|Acting)[ -])*(?:District |City |County |Municipal |Provincial )?"
    r"(?:Mayor|Governor|Party (?:[Cc]hief|[Ss]ecretary)|Secretary|(?:District|County) (?:[Hh]ead|[Cc]hief))\b"
)
#: the place: one capitalised word (and its level), right before the post, not part of a longer capitalised run
_PLACE_BEFORE_POST = re.compile(
    r"(?:^|(?<=[\s(\"“]))(?<![A-Z&\-] )(?<![a-z]['’]s )(?P<before>(?<=[A-Za-z] ))?(?P<place>[A-Z][a-z]+(?:-[A-Z]?[a-z]+)? "
    r"(?:(?:District|City|County|Province|Municipality|New Area) )?)$"
)
_PLACE_LOWER_POST = re.compile(
    rf"(?:^|(?<=[\s(\"“]))(?P<title>(?P<place>[A-Z][a-z]+(?: (?:District|City|County|Province))?) "
    rf"(?:(?:deputy|vice|executive)[ -])?(?:party chief|party secretary|mayor|governor|"
    rf"(?:district|county|city) (?:head|chief|mayor))) "
    rf"(?P<name>{_NAME_EN})\b"
)
_NOT_PLACE = re.compile(
    r"(?:The|A|An|And|With|By|As|At|In|On|Of|For|From|Then|While|When|Both|Also|Former|Local|Its|Their|His|Her|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Present|Attending|Signing|Witnessing)\b"
)
_HONORIFIC = re.compile(rf"\b(?:Mr|Ms|Mrs|Dr)\.? ({_NAME_EN})")
#: words that end a title phrase: the verb of the sentence
_VERBS_EN = re.compile(
    r"\s(?:signed|attended|said|says|witnessed|delivered|visited|met|led|presided|spoke|announced|noted|pointed|"
    r"introduced|expressed|welcomed|addressed|inspected|toured|chaired|was|were|has|had|have|will|would|also|jointly|"
    r"respectively|on behalf|who|which|that|together|unveiled|launched|hosted|praised|stressed|emphasized|called|"
    r"congratulated|gave|made|received|accompanied|opened|joined|held|took|added|explained|thanked|highlighted)\b"
)
#: not names even when capitalised in pairs
_NOT_NAMES = re.compile(
    r"\b(?:District|City|Province|County|Zone|Group|Bank|University|Government|Committee|Company|Street|Road|"
    r"New|High|National|International|China|Chinese|Jiangsu|Zhejiang|Shanghai|Beijing|Suzhou|Wuxi|Hefei|Industrial|"
    r"Economic|Technology|Development|Energy|Center|Centre|Hall|Hotel|Conference|Forum|Expo|Agreement|Project|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|"
    r"September|October|November|December|Xinhua|Party|People|State|Council|Municipal|Belt|Road|Delta|River|Lake|"
    r"Representing|Signing|Speaking|According|Including|Attending|Witnessing|Provincial|Department|Bureau|Ministry|"
    r"Commission|Administration|Authority|Office|Holdings|Corp|Commerce|Ltd|Inc|Pte|GmbH|LLC|Plc|Limited|Asia|Pacific|"
    r"Park(?! [A-Z][a-z]+-[a-z]+)(?!$)|"
    r"Europe|Americas|EMEA|Indonesia|Malaysia|Thailand|Vietnam|Singapore|Egypt|Oman|India|Bangladesh|Energi)\b|"
    r"\bCo\b(?!-)"
)


#: a title and "and" right before another title that precedes a name, from the start of a clause
_CHAINED_BEFORE = re.compile(
    rf"(?:^|, )(?P<title>{_MODIFIERS_EN}(?i:{_TITLE_WORDS_EN}) of the (?:[A-Z][\w'’\-]*|of|the)"
    rf"(?: (?:[A-Z][\w'’\-]*|of|the))*) and $"
)
_TITLE_OF_COMPANY_NAME = re.compile(
    rf"\b(?P<title>{_MODIFIERS_EN}(?:President|Chairman|Chairwoman|Chairman of the Board|General Manager|"
    rf"Managing Director|Director|Chief Executive Officer|CEO|(?-i:managing director|general manager|chairman|"
    rf"president))) of (?:the )?"
    rf"(?P<company>(?:\(?[A-Z][\w&'’()\-]*,? )+?(?:Co\., ?Ltd\.|Co,? Ltd\b|Ltd\.|Inc\.|Corp\.|Co\.|GmbH|AG|AB|K\.K\.|A/S|B\.V\.|S\.p\.A\.)|"
    rf"(?:[A-Z][\w'’\-]* )+?(?:Bureau|Commission|Department|Administration) of [A-Z][a-z]+"
    rf"(?: and [A-Z][a-z]+(?: [A-Z][a-z]+)?)?),? "
    rf"(?P<name>{_NAME_EN})\b"
)
_SIGNS = re.compile(r"\bsign(?:ed|s)?\b|\bsignatories\b|\binked\b", re.I)
_SIGNER_FOR = re.compile(
    rf"(?:^|\bby |\band |, |; |\bwhile |\b(?i:signatories) (?:were|are) )(?P<name>{_NAME_EN})(?: signed)? (?:for|on behalf of) "
    rf"(?:(?:the|its) |[A-Z])|"
    rf"(?:^|\band |, |; |\bwhile )(?P<name2>{_NAME_EN}) represented (?:(?:the|its) |[A-Z])|"
    rf"(?:^|\band |, |; |\bwhile )(?P<name3>{_NAME_EN}), representing (?:(?:the|its) |[A-Z])"
)
#: "Klaus Rieder of Tarsis and Xu Wenjie of Hanlin signed": a name and its organization, kept when that is one
_NAME_OF_OWNER = re.compile(
    rf"(?:^|\bby |\band |, |; |\bwhile )(?P<name>{_NAME_EN})(?: (?:of|from|at)|, who (?:heads|chairs|leads|runs)) "
    rf"(?:the (?P<anaphor>(?:[a-z]+ )?(?:{_OWNER_WORDS}))|(?:the )?(?P<owner>{_OWNER_WORD}(?: (?:of (?:the )?)?{_OWNER_WORD}){{0,6}}))"
    rf"(?= and\b| signed\b|[,.;]|$)"
)
_TITLED_NAME = re.compile(rf"(?:(?:Mr|Ms|Mrs|Dr)\.? |{_MODIFIERS_EN}(?i:{_TITLE_WORDS_EN}) )+(?P<name>{_NAME_EN})")


#: the parts of a sentence between commas, "X Co., Ltd." kept whole
_CHUNK = re.compile(r"[^,]+(?:,(?= ?(?:Ltd|Inc|LLC|Limited)\b)[^,]*)*")
#: "Klaus Rieder (chairman of Tarsis) and ...": the post in brackets right after the name
_TITLE_IN_BRACKETS = re.compile(rf"(?:^|(?<=[\s\"“]))(?P<name>{_NAME_EN}) \((?P<title>[^()]{{3,80}})\)")
#: "- Dr. Anna Vogt - chief executive officer, Vogt Pumps GmbH - signed from Kiel;": a dash list of signers, each
#: line a name, a lower-case post and its organization between dashes
_DASH_LIST_SIGNER = re.compile(
    rf"(?m)^[ \t]*[-–•*][ \t]+(?:(?P<hon>Dr\.|Professor|Prof\.) |(?:Mr|Ms|Mrs)\.? )?(?P<name>{_NAME_EN})"
    rf"[ \t]+[-–—][ \t]+(?P<title>[a-z][a-z' -]{{2,60}}), (?P<org>[A-Z][^\n;]{{2,120}}?)[ \t]+[-–—][ \t]"
)
_PHOTO_SIDE = re.compile(r" \((?:left|right|centre|center|front|middle|second (?:from )?(?:left|right)|L|R)\)")
#: "signed by A and B, chairman of X and chief executive of Y, respectively": names first, then their posts in order
_NAMES_THEN_TITLES = re.compile(
    rf"(?P<names>{_NAME_EN}(?:, {_NAME_EN})*,? and {_NAME_EN}), (?P<titles>[^;.]+?),? respectively\b"
)


#: a capitalised post as a release translated from Chinese writes it before the holder's name
_CAP_POST = (
    r"(?:(?:Deputy|Vice|Executive|Senior|First|Standing|Acting|Assistant)[ -])*(?:Party Secretary|Secretary|"
    r"President|Chairman|Chairwoman|Director(?:-General)?|General Manager|Managing Director|Mayor|Governor|Head|"
    r"Chief Executive Officer|Chief Executive|CEO|Dean|Member)"
)
#: "Director of the X District Commerce Bureau Yang Fan", "Chairman of X Group Limited Kevin Ho Kwok-leung": a post, the
#: organization it is of and the holder, in a clause of its own (after "and", a comma or "Witnessed by")
_POST_OF_ORG_NAME = re.compile(
    rf"(?:(?<=^)|(?<=, )|(?<= and )|(?<=\bby ))(?P<phrase>{_CAP_POST}(?: and {_CAP_POST})? of (?:the )?"
    rf"[A-Z][\w'’&.\-]*(?: (?:(?:of|the|for|and(?! {_CAP_POST}\b)) )*(?:[A-Z][\w'’&.\-]*|\([A-Z][\w ]*\)))+)"
    rf"(?=,| and | signed\b| witnessed\b| attended\b| jointly\b| on behalf\b| was\b| were\b|[.;]|$)"
)
_ORG_LAST_WORD = re.compile(
    r"(?:Limited|Ltd\.?|Co\.|Inc\.?|Corp\.?|Group|Committee|Bank|Bureau|Government|Commission|Department|Office|"
    r"Administration|AG|GmbH|Branch|Company|Corporation|University|Institute|Holdings|District|City|Area|Zone)"
)


def _post_of_org_name(phrase: str) -> tuple[str, str] | None:
    """The post (with its organization) and the name at the end of such a phrase: the last two words when the name is
    written Chinese-style ("Yang Fan", "Chan Ka-ho"), three when a Western given name opens it after the organization's
    last word ("... Limited Kevin Ho Kwok-leung"), two after a legal form ("... AG Tobias Marr")."""
    words = phrase.split(" ")
    if len(words) < 5:
        return None
    if re.fullmatch(r"[A-Z][a-z]+-[a-z]+", words[-1]):
        size = 3 if len(words) >= 6 and _ORG_LAST_WORD.fullmatch(words[-4]) else 2
    elif words[-2] in SURNAMES_PINYIN or _ORG_LAST_WORD.fullmatch(words[-3]):
        size = 2
    else:
        return None
    name, title = " ".join(words[-size:]), " ".join(words[:-size])
    if not re.fullmatch(_NAME_EN, name) or not _is_name(name) or " of " not in title:
        return None
    return title, name


def _posts_of_org_names(s_text: str, s_start: int) -> list[FoundPerson]:
    people = []
    for match in _POST_OF_ORG_NAME.finditer(s_text) if " of " in s_text else ():
        found = _post_of_org_name(match.group("phrase"))
        if not found:
            continue
        title, name = found
        start, title_start = s_start + match.start("phrase") + len(title) + 1, s_start + match.start("phrase")
        titles = _split_titles(title)
        people.append(
            FoundPerson(
                name, (start, start + len(name)), titles, None, [(title_start, title_start + len(title))] * len(titles)
            )
        )
    return people


def _respective_titles(s_text: str, s_start: int) -> list[FoundPerson]:
    """The i-th name with the i-th post of a "respectively" list (each post may name its organization)."""
    people: list[FoundPerson] = []
    for match in _NAMES_THEN_TITLES.finditer(s_text):
        names = [(m.start(), m.group()) for m in re.finditer(_NAME_EN, match.group("names"))]
        posts = [(m.start(), m.group().strip()) for m in re.finditer(r"[^,]+", match.group("titles"))]
        posts = [(at + len(p) - len(p.lstrip()), p) for at, p in posts]
        if len(posts) == 1 or len(posts) < len(names):  # "chairman of X and chief executive of Y": split at "and"
            split = []
            for at, post in posts:
                at_part = at
                for part in re.split(r"\s+and\s+(?=" + _MODIFIERS_EN + rf"(?i:{_TITLE_WORDS_EN})\b)", post):
                    part = re.sub(r"^and ", "", part.strip())
                    split.append((match.group("titles").find(part, at_part), part))
                    at_part = split[-1][0] + len(part)
            posts = split
        posts = [(at, re.sub(r"^(?:and |the )", "", post)) for at, post in posts]
        if len(posts) != len(names) or not all(
            _TITLE_START.match(post) and _is_name(n) for (_a, post), (_b, n) in zip(posts, names, strict=True)
        ):
            continue
        for (name_at, name), (post_at, post) in zip(names, posts, strict=True):
            start = s_start + match.start("names") + name_at
            title_start = s_start + match.start("titles") + match.group("titles").find(post, post_at)
            people.append(
                FoundPerson(name, (start, start + len(name)), [post], None, [(title_start, title_start + len(post))])
            )
    return people


def _is_name(name: str) -> bool:
    return (
        not _NOT_NAMES.search(name)
        and not _TITLE_ANY.search(name)
        and len(name) <= 40
        and not _HONORIFIC_WORD.match(name)  # "Mr Brandt": an honorific and a surname, not a full name
    )


_HONORIFIC_WORD = re.compile(r"(?:Mr|Ms|Mrs|Miss|Dr|Prof)\b")


def _strip_title(name: str) -> tuple[str, str]:
    """ "Professor Feng Jiali" -> ("Feng Jiali", "Professor"): a title word written before a name is not part of it."""
    words = name.split()
    if len(words) >= 3 and _TITLE_ANY.fullmatch(words[0]):
        return " ".join(words[1:]), words[0]
    return name, ""


#: where a title phrase ends: a full stop (not of "Co."), a colon, a table's bar, a line, a bracket (not an acronym's)
_TITLE_CUT = re.compile(r"(?<!\bCo)(?<!\bLtd)(?<!\bInc)(?<!\bCorp)(?:[.;:|\n]|\((?![A-Z][\w'’&\-]*\)))")


def _title_phrase(chunk: str) -> str:
    """The title at the start of a comma-separated chunk, cut before the sentence's verb."""
    verb = _VERBS_EN.search(chunk)
    phrase = chunk[: verb.start()] if verb else chunk
    phrase = re.sub(r"\s*[.;:)\]]+\s*$", "", phrase.strip())
    phrase = _TITLE_CUT.split(phrase)[0].strip()
    return re.sub(r"^(?:the|a|an) ", "", phrase, flags=re.I) if _TITLE_START.match(phrase) else ""


def _split_titles(phrase: str) -> list[str]:
    """ "Member of the Standing Committee and Party Secretary of Xinwu District" is two titles."""
    parts = re.split(r" and (?=(?:the )?" + _MODIFIERS_EN + rf"(?:{_TITLE_WORDS_EN})\b)", phrase, flags=re.I)
    return [p.strip() for p in parts if p.strip()]


def _english_people(text: str, sentence_spans) -> list[FoundPerson]:
    people: list[FoundPerson] = []
    post_chains: list[tuple[int, int, list]] = []
    for sentence in sentence_spans:
        # "Yuan Ming (right), chairman of X": where a photo shows the person is no part of the sentence
        s_text, s_start = sentence.text, sentence.start
        if "(" in s_text:
            s_text = _PHOTO_SIDE.sub(lambda m: " " * len(m.group()), s_text)
        respective = _respective_titles(s_text, s_start) if "respectively" in s_text else []
        people += respective
        posts = _posts_of_org_names(s_text, s_start)
        if posts:
            # the other patterns misread such chains ("Yip Tsz-kin" of "Limited Brian Yip Tsz-kin"): theirs go
            post_chains.append((s_start, s_start + len(s_text), posts))
            people += posts
        listed = {p.span[0] - s_start for p in respective}
        # title after the name: split the sentence at commas and look at each (name chunk, title chunk) pair
        chunks = [(m.start(), m.group()) for m in _CHUNK.finditer(s_text)]
        for index, (offset, chunk) in enumerate(chunks):
            stripped = chunk.strip()
            lead = len(chunk) - len(chunk.lstrip())
            name_match = _NAME_AT_END.search(stripped) or (_NAME_AT_START.match(stripped) if index else None)
            if not name_match:
                continue
            name, title_before = _strip_title(name_match.group(1))
            if not _is_name(name):
                continue
            if index + 1 >= len(chunks) or offset + lead + name_match.start(1) in listed:
                continue
            next_offset, next_chunk = chunks[index + 1]
            phrase = _title_phrase(next_chunk)
            other = _TITLED_NAME.fullmatch(phrase) if phrase else None
            if other and _is_name(other.group("name")):
                continue  # "A, Professor B, president of ...": the chunk after A is the next person, not A's post
            if phrase and _TITLE_OF_COMPANY_NAME.match(phrase):
                continue  # "A, managing director of X Co Ltd B and ...": the post is B's
            ahead = _NAME_AFTER_HEAD.search(phrase) if phrase else None
            if ahead and _is_name(ahead.group(1)):
                # "A, Director-General of the Jiangsu Department of Commerce Qi Lan, and B": the post is Qi Lan's
                continue
            possessive = None if phrase else _POSSESSIVE_AFTER.match(next_chunk) or _OWNER_TITLE_AFTER.match(next_chunk)
            if possessive and _is_name(name):
                start = s_start + offset + lead + name_match.start(1) + name_match.group(1).find(name)
                owner = possessive.group("owner")
                owner = owner.casefold() if owner[:4].casefold() == "the " else re.sub(r"['’]s?$", "", owner)
                titles = _split_titles(possessive.group("title"))
                title_start = s_start + next_offset + possessive.start("title")
                owner_at = s_start + next_offset + possessive.start("owner")
                people.append(
                    FoundPerson(
                        name,
                        (start, start + len(name)),
                        titles,
                        None,
                        [(title_start, title_start + len(possessive.group("title")))] * len(titles),
                        owner,
                        owner_at,
                    )
                )
                continue
            if not phrase:
                continue
            if name_match.re is _NAME_AT_START and _VERBS_EN.search(" " + stripped[name_match.end(1) :]) is None:
                rest = stripped[name_match.end(1) :].strip()
                if rest and not rest.startswith(("(", "and")):
                    continue
            start = s_start + offset + lead + name_match.start(1) + name_match.group(1).find(name)
            titles = _split_titles(phrase) + ([title_before] if title_before else [])
            phrase_start = s_start + next_offset + next_chunk.find(phrase)
            people.append(
                FoundPerson(
                    name,
                    (start, start + len(name)),
                    titles,
                    None,
                    [(phrase_start, phrase_start + len(phrase))] * len(titles),
                )
            )
        # "The chief executive of Kestrel Biologics, Arjun Mehta, signed": the title between commas before the name
        for index, (offset, chunk) in enumerate(chunks[:-1]):
            head = re.sub(r"^\s*(?:and |while |with )?", "", chunk)
            # "Chairman of Tarsis Motors GmbH, Klaus Rieder, and President of ...": a post opening the sentence or
            # a clause after "and", then the name between commas
            opening = (index == 0 or head != chunk.lstrip()) and bool(_TITLE_START.match(head))
            if not re.match(r"(?i:the|its|their) ", head) and not opening:
                continue
            phrase = _title_phrase(head)
            name_chunk = chunks[index + 1][1].strip()
            if not phrase or len(phrase) < len(head) - 6 or not re.fullmatch(_NAME_EN, name_chunk):
                continue
            if not _is_name(name_chunk):
                continue
            start = s_start + chunks[index + 1][0] + chunks[index + 1][1].find(name_chunk)
            phrase_start = s_start + offset + chunk.find(phrase)
            people.append(
                FoundPerson(
                    name_chunk,
                    (start, start + len(name_chunk)),
                    [phrase],
                    None,
                    [(phrase_start, phrase_start + len(phrase))],
                )
            )
        # title before the name: "Mayor Zhang Wei", "Party Secretary of Xinwu District Li Qian"
        for match in re.finditer(
            rf"\b({_MODIFIERS_EN}(?i:{_TITLE_WORDS_EN})"
            rf"(?: of (?:the )?(?:(?:[A-Z][\w'’\-]*|district|city|county)(?: (?:of|and|for|the))? ?)+?)?"
            rf"(?: in [A-Z][a-z]+)?) "
            rf"({_NAME_EN})\b",
            s_text,
        ):
            title, name = match.group(1).strip(), match.group(2)
            if not title[0].isupper():
                continue
            inner = _TITLE_OF_COMPANY_NAME.search(title)
            if inner and _is_name(inner.group("name")):
                continue  # "Director of the X Bureau of Commerce A and Vice President of Y AB B": A's post and name
            title_at = match.start(1)
            place = _PLACE_BEFORE_POST.search(s_text, 0, title_at) if _GOVERNMENT_POST.match(title) else None
            if place and place.group("before") is not None:
                word = re.search(r"(\S+) $", s_text[: place.start("place")])
                if word and word.group(1)[0].isupper() and not _NOT_PLACE.fullmatch(word.group(1)):
                    place = None  # "Daewon Energy Group Chairman X": the capitalised run is a name, not a place
            if place and not _NOT_PLACE.match(place.group("place")):
                title, title_at = s_text[place.start("place") : match.start(1)] + title, place.start("place")
            words = name.split()
            # "Secretary of Xinwu District Li Qian": the run after "of" swallows the place; the name is its tail
            if len(words) == 3 and words[1] in SURNAMES_PINYIN and words[0] not in SURNAMES_PINYIN:
                title, name = f"{title} {words[0]}", " ".join(words[1:])
            if not _is_name(name):
                continue
            start = s_start + match.start(2) + match.group(2).find(name)
            titles = _split_titles(title)  # "Chairman of the Board and President Wu Jun": two posts
            title_spans = [(s_start + title_at, s_start + title_at + len(title))] * len(titles)
            chained = _CHAINED_BEFORE.search(s_text, 0, title_at)
            if chained:  # "Member of the Standing Committee of the X Committee and Executive Vice Mayor Wu Jun"
                titles.insert(0, chained.group("title"))
                title_spans.insert(0, (s_start + chained.start("title"), s_start + chained.end("title")))
            people.append(FoundPerson(name, (start, start + len(name)), titles, None, title_spans))
        # "President of Harlow Tools Co., Ltd. Wu Jun": a post, its company with a legal form, then the holder (the
        # order of a release translated from Chinese); the company is found inside the post's span
        for match in _TITLE_OF_COMPANY_NAME.finditer(s_text):
            name = match.group("name")
            if not _is_name(name):
                continue
            start = s_start + match.start("name")
            title_span = (s_start + match.start("title"), s_start + match.end("company"))
            people.append(FoundPerson(name, (start, start + len(name)), [match.group("title")], None, [title_span]))
        # a possessive and a lower-case title before the name: "Ruichi's chairman Lin Zhiqiang", "its chief
        # executive, Arjun Mehta", "Haoran's general manager, Song Mei"
        for match in [
            *_POSSESSIVE_TITLE.finditer(s_text),
            *_NAMED_BEFORE_TITLE.finditer(s_text),
            *_NAMED_BEFORE_CAPITAL_TITLE.finditer(s_text),
        ]:
            name = match.group("name")
            # "Greenloop's China head": a country qualifying a post is no reason to drop it
            if not _is_name(name) or _NOT_NAMES.search(re.sub(r"^(?:China|Chinese|Asia) ", "", match.group("title"))):
                continue
            start = s_start + match.start("name")
            title_start = s_start + match.start("title")
            owner = match.group("owner") or match.group("pronoun").casefold()
            titles = _split_titles(match.group("title"))
            people.append(
                FoundPerson(
                    name,
                    (start, start + len(name)),
                    titles,
                    None,
                    [(title_start, title_start + len(match.group("title")))] * len(titles),
                    owner,
                    s_start + match.start(),
                )
            )
        for match in _TITLE_IN_BRACKETS.finditer(s_text) if "(" in s_text else ():
            name, title = match.group("name"), match.group("title").strip()
            if not _is_name(name) or not _TITLE_START.match(title):
                continue
            start, title_start = s_start + match.start("name"), s_start + match.start("title")
            # "Ann Roe (vice director, Lakeside Commission of Commerce)": the post, then whose it is after a comma
            post, comma, owner = title.partition(", ")
            bare = post if comma and owner[:1].isupper() and post[:1].islower() else title
            titles = _split_titles(re.sub(r"^(?:the|a|an) ", "", bare, flags=re.I))
            people.append(
                FoundPerson(
                    name,
                    (start, start + len(name)),
                    titles,
                    None,
                    [(title_start, title_start + len(title))] * len(titles),
                )
            )
        # the title in a clause of its own: "Clara Weiss is the president of Norvale"
        for match in _IS_TITLE_EN.finditer(s_text):
            name = match.group(1)
            rest = s_text[match.end() :].split(",")[0]
            phrase = _title_phrase(rest)
            if not phrase or not _is_name(name):
                continue
            start = s_start + match.start(1)
            phrase_start = s_start + match.end() + rest.find(phrase)
            titles = _split_titles(phrase)
            people.append(
                FoundPerson(
                    name,
                    (start, start + len(name)),
                    titles,
                    None,
                    [(phrase_start, phrase_start + len(phrase))] * len(titles),
                )
            )
        # "Equity investment agreement - Ho Wai-man (Baywater) and Yao Qing (Kechuang Fund)": a list of signatories,
        # each name with whom they signed for; kept when that is an organization of the article
        listed_line = _KIND_DASH_LINE.match(s_text) if "(" in s_text else None
        for match in _NAME_SIDE.finditer(s_text, listed_line.end()) if listed_line else ():
            name = match.group("name")
            if _is_name(name):
                start = s_start + match.start("name")
                owner_at = s_start + match.start("side")
                people.append(
                    FoundPerson(name, (start, start + len(name)), [], None, [], match.group("side"), owner_at, True)
                )
        # "Deng Xue is the Bio-Town Fund's chairman": a full name, then an organization's post, in a clause of its own;
        # "Kim runs the Hefei subsidiary as its president" likewise
        owners_posts = [
            *((match, "who") for match in (_NAME_IS_OWNERS_POST.finditer(s_text) if " is " in s_text else ())),
            *((match, "who") for match in (_WHO_IS_POST.finditer(s_text) if ", who " in s_text else ())),
            *((match, "name") for match in (_RUNS_AS.finditer(s_text) if " as " in s_text else ())),
        ]
        for match, who in owners_posts:
            name, owner = match.group(who), match.group("owner")
            if not _is_name(name):
                continue
            start, title_start = s_start + match.start(who), s_start + match.start("title")
            owner = owner.casefold() + "'s" if owner.startswith("the ") else owner
            title = match.group("title")
            people.append(
                FoundPerson(
                    name,
                    (start, start + len(name)),
                    [title],
                    None,
                    [(title_start, title_start + len(title))],
                    owner,
                    s_start + match.start("owner"),
                )
            )
        # "inked by Corvane's Piet Laar and Tellmark's Hana Ruzicka": an organization's possessive and a name, with no
        # title; kept by the pipeline only when the owner is one of the article's organizations
        for match in _POSSESSIVE_NAME.finditer(s_text):
            name = match.group("name")
            # "China's Li Wei" is no company's; "Daewon Hefei's Park Min-ji" is (a company and its city)
            if not _is_name(name) or all(_NOT_NAMES.search(word) for word in match.group("owner").split()):
                continue
            start = s_start + match.start("name")
            people.append(
                FoundPerson(
                    name, (start, start + len(name)), [], None, [], match.group("owner"), s_start + match.start(), True
                )
            )
        # "Jinshan party chief Hu Lan": a place, then a lower-case government post, then the name
        for match in _PLACE_LOWER_POST.finditer(s_text):
            name = match.group("name")
            word = re.search(r"(\S+) $", s_text[: match.start()])
            if not _is_name(name) or _NOT_PLACE.match(match.group("place")):
                continue
            if word and word.group(1)[0].isupper() and not _NOT_PLACE.fullmatch(word.group(1)):
                continue
            start, title_start = s_start + match.start("name"), s_start + match.start("place")
            title = match.group("title")
            people.append(
                FoundPerson(name, (start, start + len(name)), [title], None, [(title_start, title_start + len(title))])
            )
        # "District head Wei Zhang signed": the same at the start of a sentence, capitalised there
        for match in _LOWER_TITLE_BEFORE.finditer(" " + s_text[:1].lower() + s_text[1:]):
            name = match.group("name")
            if not _is_name(name):
                continue
            start, title_start = s_start + match.start("name") - 1, s_start + match.start("title") - 1
            title = s_text[title_start - s_start : title_start - s_start + len(match.group("title"))]
            found = FoundPerson(
                name, (start, start + len(name)), [title], None, [(title_start, title_start + len(title))]
            )
            if match.group("academic") in ("Professor", "Prof."):
                found.titles.append(match.group("academic"))
                found.title_spans.append((s_start + match.start("academic") - 1, s_start + match.end("academic") - 1))
            noun = _KIND_BEFORE_POST.search(s_text, 0, title_start - s_start)
            if noun and title_start - s_start > 0:
                found.owner, found.owner_at = f"the {noun.group('noun')}'s", s_start + noun.start("noun")
            people.append(found)
        # "signed by Wu Jun for Harlow and Ke Lan for the committee", "Ke Lan signed for Harlow, while Wu Jun
        # represented Fenlan": whom a name signed for is evidence enough that it is a person's
        if _SIGNS.search(s_text):
            for match in _NAME_OF_OWNER.finditer(s_text) if re.search(r" of | from | at |, who ", s_text) else ():
                name = match.group("name")
                if _is_name(name) and not _TITLE_ANY.search(name):
                    start = s_start + match.start("name")
                    # "Gao Yong from the park company": the last park company named
                    owner = f"the {match.group('anaphor')}'s" if match.group("anaphor") else match.group("owner")
                    at = s_start + match.start("anaphor" if match.group("anaphor") else "owner")
                    people.append(FoundPerson(name, (start, start + len(name)), [], None, [], owner, at, True))
            for match in _SIGNER_FOR.finditer(s_text):
                group = next(g for g in ("name", "name2", "name3") if match.group(g))
                name = match.group(group)
                if _is_name(name) and not _TITLE_ANY.search(name):
                    start = s_start + match.start(group)
                    people.append(FoundPerson(name, (start, start + len(name))))
        for match in _DASH_LIST_SIGNER.finditer(s_text) if s_text.lstrip()[:1] in "-–•*" else ():
            name = match.group("name")
            if not _is_name(name):
                continue
            start, title_start = s_start + match.start("name"), s_start + match.start("title")
            titles = _split_titles(match.group("title"))
            spans = [(title_start, s_start + match.end("org"))] * len(titles)
            if match.group("hon"):
                titles.append(match.group("hon"))
                spans.append((s_start + match.start("hon"), s_start + match.end("hon")))
            people.append(FoundPerson(name, (start, start + len(name)), titles, None, spans))
        for match in _HONORIFIC.finditer(s_text):
            name = match.group(1)
            if _is_name(name):
                start = s_start + match.start(1)
                people.append(FoundPerson(name, (start, start + len(name))))
    for start, end, posts in post_chains:
        spans = [p.span for p in posts]
        people = [
            p
            for p in people
            if any(p is post for post in posts)
            or not (start <= p.span[0] < end and any(p.span[0] < e and s < p.span[1] for s, e in spans))
        ]
        for person in people:  # "Deputy District Mayor Yang Fan" read as one post of another person
            if start <= person.span[0] < end and not any(person is post for post in posts):
                keep = [i for i, t in enumerate(person.titles) if not any(post.name in t for post in posts)]
                person.titles = [person.titles[i] for i in keep]
                person.title_spans = [person.title_spans[i] for i in keep if i < len(person.title_spans)]
    return people


_CAPS_NAME = r"[A-Z]{2,}(?:-[A-Z]{2,})?(?: [A-Z]{2,}(?:-[A-Z]{2,})?){1,2}(?![\w])"
_BYLINE_NAME = rf"(?:{_NAME_EN}|{_CAPS_NAME})"
_BYLINE_EN = re.compile(
    rf"(?m)(?:^[ \t(\[]*|(?<=; )|(?<=;)|(?<=\| ))(?P<role>(?i:by|written by|reporters?|reported by|editors?|edited by|web editor|"
    rf"photos? by|photographer|photos?|author|text by|text and photos?|words and pictures|source|"
    rf"(?:additional )?reporting by|editing by|writing by))\s*[:：]?\s+"
    rf"(?P<names>{_BYLINE_NAME}(?:\s*(?:,|and|&)\s*{_BYLINE_NAME})*)"
)
_BYLINE_ROLES = {"by": "author", "written by": "author", "author": "author", "text by": "author", "source": "author",
                 "reporter": "reporter", "reporters": "reporter", "reported by": "reporter",
                 "editor": "editor", "editors": "editor", "edited by": "editor", "web editor": "editor",
                 "photo by": "photographer", "photos by": "photographer", "photographer": "photographer",
                 "photo": "photographer", "photos": "photographer", "text and photo": "author",
                 "text and photos": "author", "words and pictures": "author", "reporting by": "reporter",
                 "additional reporting by": "reporter", "editing by": "editor", "writing by": "author"}  # fmt: skip


#: "Shine | Ding Yi | 2025-04-11": a Chinese reporter's name alone between the bars of a dated line at the top
_BARE_NAME_ON_META = re.compile(rf"(?:^|(?<=\| ))(?P<name>{_NAME_WORD} {_NAME_WORD})(?= \||$)", re.M)


def _bare_meta_bylines(text: str) -> list[Byline]:
    found = []
    for line in re.finditer(r"[^\n]+", text[:400]):
        if " | " not in line.group() or not re.search(r"\d", line.group()):
            continue
        for match in _BARE_NAME_ON_META.finditer(line.group()):
            name = match.group("name")
            if name.split()[0] in SURNAMES_PINYIN and _is_name(name):
                start = line.start() + match.start("name")
                found.append(Byline(name, "reporter", (start, start + len(name))))
    return found


def _english_bylines(text: str) -> list[Byline]:
    bylines = _bare_meta_bylines(text)
    for match in _BYLINE_EN.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        rest = text[match.end() : line_end if line_end >= 0 else len(text)]
        if match.group("role").lower().startswith("photo") and (rest.count(" ") > 3 or "(" in rest):
            continue  # "Photo: Wu Jun (right) and Ke Lan exchange the agreement": a caption, not a credit
        before = text[line_start : match.start()]
        if (
            before.strip(" \t([")
            and not before.rstrip().endswith("|")
            and not (
                re.search(r"\([^()\n]*$", text[line_start : match.start()])
                and re.match(r"(?i)(?:additional )?reporting|editing|writing", match.group("role"))
            )
        ):
            continue  # after "; " only a wire's bracketed credits: "(Reporting by ...; Editing by ...)"
        role = _BYLINE_ROLES.get(" ".join(match.group("role").lower().split()), "author")
        for name in re.finditer(_BYLINE_NAME, match.group("names")):
            if _is_name(name.group()):
                start = match.start("names") + name.start()
                bylines.append(Byline(name.group(), role, (start, start + len(name.group()))))
    return bylines


# --- Chinese ----------------------------------------------------------------------------------------

_SURNAMES_ZH = (
    "欧阳 司马 诸葛 上官 东方 皇甫 令狐 慕容 司徒 尉迟 公孙 长孙 宇文 夏侯 "
    "王李张刘陈杨黄许赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯邓曹彭曾肖萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石"
    "廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章"
    "鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾"
    "尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇阎栾隋商刁沙荣巫寇桑郎甄丛"
    "仲虞敖巩明佘池查麻苑迟邝"
)
_COMPOUND_SURNAMES = [s for s in _SURNAMES_ZH.split() if len(s) == 2]
_SINGLE_SURNAMES = "".join(s for s in _SURNAMES_ZH.split() if len(s) > 2)
_SURNAME_ZH = "(?:" + "|".join(_COMPOUND_SURNAMES) + f"|[{_SINGLE_SURNAMES}])"
_TITLES_ZH = sorted(
    words(
        """
    书记 副书记 党委书记 党工委书记 区长 副区长 市长 副市长 省长 副省长 县长 副县长 镇长 主任 副主任 常务副主任 局长 副局长 处长 科长 董事长 副董事长 总经理
    副总经理 总裁 副总裁 执行总裁 首席执行官 首席技术官 首席运营官 首席财务官 首席科学家 常务副总经理 执行董事 总裁助理 院长 副院长 校长 副校长 行长 副行长 主席 副主席 部长 副部长 常委 委员 负责人 总监 创始人 联合创始人 合伙人
    所长 教授 院士 大使 总领事 领事 理事长 会长 副会长 秘书长 社长 厂长 董事 经理 主管 总工程师 总代表 首席代表 参赞 党组书记 区委书记
    市委书记 区委副书记 市委副书记 区委常委 市委常委
    """
    ),
    key=len,
    reverse=True,
)
_TITLE_ZH = "(?:" + "|".join(_TITLES_ZH) + ")"
#: a character after which a two-character given name cannot go on: the verb or particle that follows the name
_AFTER_NAME_ZH = set(
    "以现教回作认提要希感称透谈宣发带听查看视慰问详解导研察观首代率领携随近日则即已曾正于被让向刚便又都还再"
    + "出席会见考察调研参加主持致辞表示指出强调介绍陪同代签与和及等在对向为是将也还就说讲率共同分均到前赴来去了的、,，。；：:“”（）() 先亲"
)
_PERSON_ZH = re.compile(
    rf"({_TITLE_ZH})(?:([\u4e00-\u9fff]{{1,6}}·[\u4e00-\u9fff]{{1,8}})|({_SURNAME_ZH})([\u4e00-\u9fff]{{1,2}}))"
)
#: a title's own prefix: the place or party body it belongs to ("江苏省副省长", "新吴区委书记", "招商部部长")
_TITLE_PREFIX_ZH = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:省|市|区|县|镇|委|部|处|办|厅)$")
_TITLE_PREFIX_STOP = re.compile(
    r"[\s，。、；：:“”（）()!?！？]|与|和|及|由|在|为|的|了|是|同|和|出席|会见|陪同|见证|代表"
)
_ORG_END_ZH = re.compile(r"公司|集团|银行|大学|学院|医院|局|研究院|协会|商会|政府|管委会|园区")
_AFTER_TITLES_ZH = re.compile(r"^(教授|院士|研究员)")
_BYLINE_ZH = re.compile(
    r"(?P<role>本报记者|记者|通讯员|责任编辑|责编|编辑|审核|校对|摄影|作者|文/图|文／图|图/文|供稿|撰稿)\s*[：:]?\s*"
    r"(?P<names>[\u4e00-\u9fff]{2,4}(?:[ 、，,]\s*[\u4e00-\u9fff]{2,4})*)"
)
_BYLINE_ROLES_ZH = {"本报记者": "reporter", "记者": "reporter", "通讯员": "reporter", "责任编辑": "editor", "责编": "editor",
                    "编辑": "editor", "审核": "editor", "校对": "editor", "摄影": "photographer", "作者": "author",
                    "文/图": "author", "文／图": "author", "图/文": "author", "供稿": "author", "撰稿": "author"}  # fmt: skip


def _given_name(surname: str, rest: str) -> str:
    if len(rest) == 2 and rest[1] in _AFTER_NAME_ZH:
        return surname + rest[0]
    if rest and rest[0] in _AFTER_NAME_ZH:
        return ""
    return surname + rest


def _title_start_zh(text: str, start: int, title: str) -> int:
    """Reach back from a title over the body it belongs to when that body is a place or party office, not a
    named organization: "江苏省" + "副省长", "新吴" + "区委书记"."""
    window = text[max(0, start - 8) : start]
    stops = list(_TITLE_PREFIX_STOP.finditer(window))
    prefix = window[stops[-1].end() :] if stops else window
    if not prefix:
        return start
    organization = list(_ORG_END_ZH.finditer(prefix))
    if organization:  # "太湖银行党委委员": the bank is the organization, "党委委员" the title
        prefix = prefix[organization[-1].end() :]
    if prefix and (title.startswith(("区委", "市委", "县委", "省委")) or _TITLE_PREFIX_ZH.search(prefix)):
        return start - len(prefix)
    return start


def _chained_titles_zh(text: str, start: int) -> list[tuple[str, int]]:
    """Titles listed before this one with "、" or "兼": "区委副书记、区长周明" gives "区委副书记" too, "董事长兼总裁梁志远"
    gives "董事长"."""
    titles = []
    while start > 0 and text[start - 1] in "、兼":
        window = text[max(0, start - 13) : start - 1]
        match = re.search(rf"(?:[\u4e00-\u9fff]{{0,6}}?)({_TITLE_ZH})$", window)
        if not match:
            break
        begin = max(0, start - 13) + match.start(1)
        begin = _title_start_zh(text, begin, match.group(1))
        titles.insert(0, (text[begin : start - 1], begin))
        start = begin
    return titles


def _chinese_people(text: str) -> list[FoundPerson]:
    people = []
    for match in _PERSON_ZH.finditer(text):
        title, foreign, surname, rest = match.groups()
        if foreign:
            cut = next((i for i, ch in enumerate(foreign) if i > foreign.index("·") + 1 and ch in _AFTER_NAME_ZH), None)
            name, start = foreign[:cut], match.start(2)
        else:
            name, start = _given_name(surname, rest), match.start(3)
            if len(name) == 3 and text.count(name) == 1 and text.count(name[:2]) >= 2:
                name = name[:2]  # "张伟回顾": the name is written alone elsewhere, the third character is a verb
        if len(name) < 2:
            continue
        title_start = _title_start_zh(text, match.start(1), title)
        chained = _chained_titles_zh(text, title_start)
        titles = [t for t, _s in chained] + [text[title_start : match.end(1)]]
        spans = [(s, s + len(t)) for t, s in chained] + [(title_start, match.end(1))]
        after = _AFTER_TITLES_ZH.match(text[start + len(name) : start + len(name) + 3])
        if after:
            titles.append(after.group(1))
            spans.append((start + len(name), start + len(name) + len(after.group(1))))
        people.append(FoundPerson(name, (start, start + len(name)), titles, None, spans))
    return people + _said_titles_zh(text)


#: "王磊为上海沃川氢能科技有限公司总经理": a person's title and organization said in a sentence of their own
_IS_TITLE_ZH = re.compile(
    rf"(?:^|(?<=[。，；\n、]))({_SURNAME_ZH}[\u4e00-\u9fff]{{1,2}}?)(?:为|是|系|现任|任)"
    rf"([\u4e00-\u9fff（）()]{{2,40}}?)({_TITLE_ZH})(?=[，。；、\s]|$)"
)


def _said_titles_zh(text: str) -> list[FoundPerson]:
    people = []
    for match in _IS_TITLE_ZH.finditer(text):
        name, title = match.group(1), match.group(3)
        if len(name) < 2 or name[-1] in _AFTER_NAME_ZH:
            continue
        people.append(FoundPerson(name, (match.start(1), match.end(1)), [title], None, [match.span(3)]))
    return people


def _chinese_bylines(text: str) -> list[Byline]:
    bylines = []
    for match in _BYLINE_ZH.finditer(text):
        # a by-line stands at the start or end of a line, or in brackets: "记者王芳报道" mid-sentence is not one
        line_start = text.rfind("\n", 0, match.start()) + 1
        before = text[line_start : match.start()].strip(" （(【[")
        line_end = text.find("\n", match.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        meta_line = (
            bool(re.search(r"来源|发布|时间|\d{1,2}:\d{2}", line)) and text[match.start() - 1 : match.start()].isspace()
        )
        if before and not before.endswith(("本报", "本报讯", "讯", "）", ")")) and not meta_line:
            continue
        role = _BYLINE_ROLES_ZH.get(match.group("role"), "author")
        for name in re.finditer(r"[\u4e00-\u9fff]{2,4}", match.group("names")):
            value = name.group()
            value = re.sub(r"(报道|摄|整理|编辑)$", "", value)
            if len(value) >= 2 and re.match(_SURNAME_ZH, value):
                start = match.start("names") + name.start()
                bylines.append(Byline(value, role, (start, start + len(value))))
    return bylines


# --- together ---------------------------------------------------------------------------------------


def find_people(text: str, language: str, sentence_spans) -> tuple[list[FoundPerson], list[Byline]]:
    """The people of the story (merged per name) and the by-lines, apart."""
    bylines = _chinese_bylines(text) if language == "zh" else _english_bylines(text)
    byline_spans = [b.span for b in bylines]
    found = _chinese_people(text) if language == "zh" else _english_people(text, sentence_spans)
    story = [p for p in found if not any(s <= p.span[0] < e for s, e in byline_spans)]
    for person in story:
        if language == "en" and person.name.startswith("Comrade "):
            # "Comrade Harlan Wu" in a release translated from Chinese: a form of address, not a name
            person.name = person.name.removeprefix("Comrade ")
            person.span = (person.span[0] + len("Comrade "), person.span[1])
    merged = merge(story)
    return (_fold_name_orders(merged) if language == "en" else merged), bylines


def _fold_name_orders(people: list[FoundPerson]) -> list[FoundPerson]:
    """One person written in two orders or with part of the name ("Zhou Yang" and "Yang Zhou", "Jason Liu Haitao"
    and "Jason Liu"): the later written form is folded into the one first written, titles and organization kept."""
    kept: list[FoundPerson] = []
    for person in people:  # in text order (merge sorts by span)
        words = person.name.casefold().split()
        same = next(
            (
                k
                for k in kept
                if len(words) >= 2
                and (sorted(words) == sorted(k.name.casefold().split()) or set(words) < set(k.name.casefold().split()))
            ),
            None,
        )
        if same is None:
            kept.append(person)
            continue
        for title, span in zip(person.titles, person.title_spans or [None] * len(person.titles), strict=False):
            if title.casefold() not in {t.casefold() for t in same.titles}:
                same.titles.append(title)
                if span:
                    same.title_spans.append(span)
        same.organization = same.organization or person.organization
        if same.owner is None and person.owner:
            same.owner, same.owner_at = person.owner, person.owner_at
    return kept
