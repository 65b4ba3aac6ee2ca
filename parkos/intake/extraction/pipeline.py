"""The extraction, start to end: one article's text in, one JSON-ready draft out (shape in ``__init__``)."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from parkos.intake.extraction.events import event_kind, find_agreements, headline
from parkos.intake.extraction.gazetteer import Gazetteer, Scan, directory_gazetteer, tokenized
from parkos.intake.extraction.honorifics import restore_spans, without_honorifics
from parkos.intake.extraction.organizations import find_organizations, kind_of, name_key, unique_organizations
from parkos.intake.extraction.people import find_people
from parkos.intake.extraction.shortforms import best_full_form
from parkos.intake.extraction.text import CJK, detect_language, sentences

#: an article longer than this is cut (a pasted book is not a press release); the JSON says so in "truncated"
MAX_CHARS = 200_000


def extract(text: str, *, source: str = "", language: str | None = None, gazetteer: Gazetteer | None = None) -> dict:
    """Draft the event, organizations, people, agreements, figures and industries of one article.

    ``gazetteer`` defaults to the directory's names (needs the database); pass ``Gazetteer.build([])`` to
    extract without one.
    """
    text = text or ""
    truncated = len(text) > MAX_CHARS
    text = text[:MAX_CHARS]
    # "Datuk Azman Harun", "H.E. Li Ming", "Khun Siriporn": read without the honorific, spans given back in the text
    cleaned, offsets = without_honorifics(text)
    result = _extract(cleaned, source=source, language=language, gazetteer=gazetteer)
    if offsets is not None:
        restore_spans(result, offsets)
    if truncated:
        result["truncated"] = MAX_CHARS
    return result


def _extract(text: str, *, source: str, language: str | None, gazetteer: Gazetteer | None) -> dict:
    from parkos.intake.extraction.dates import find_dates
    from parkos.intake.extraction.figures import find_figures

    language = language if language in ("en", "zh") else detect_language(text)
    if gazetteer is None:
        gazetteer = directory_gazetteer()
    scan = tokenized(text)
    sentence_list = sentences(text, language)

    people, bylines = find_people(text, language, sentence_list)
    if language == "en":
        # "Chamber member Voss Antriebstechnik GmbH": a name run that a legal form follows is a company's name
        people = [p for p in people if not _LEGAL_FORM_AFTER.match(text, p.span[1])]
    byline_spans = [b.span for b in bylines]
    mentions = [
        o
        for o in _without_people(find_organizations(text, scan, language, gazetteer), people, text, language)
        if not any(s <= o.span[0] < e for s, e in byline_spans)
        and not any(p.span[0] <= o.span[0] < p.span[1] for p in people)
        and not (language == "en" and _after_source_label(text, o.span[0]))
    ]
    organizations, canonical_names = unique_organizations(mentions)

    def canonical(name: str) -> str:
        return canonical_names.get(name_key(name), name)

    # "Harlow Tools" read as a person from "chief executive of Harlow Tools": a name an organization is written by
    short_names = {_short(o.name.casefold()) for o in organizations} | {name_key(o.name) for o in organizations}
    people = [p for p in people if p.name.casefold() not in short_names]
    for person in people:
        if person.owner:
            person.organization = _owner_organization(person, organizations, mentions, canonical, sentence_list)
            government_post = _PLACE_POST.search(" ".join(person.titles))
            if person.organization and government_post and not re.search(r"government", person.organization, re.I):
                # "Pudong deputy district mayor": the place's government, not a commission named after it
                person.organization = None
    people = [p for p in people if not (p.needs_owner and p.organization is None)]
    for person in people:
        _attach_organization(person, mentions, canonical, language)
        if language == "en" and person.organization is None:
            person.organization = _organization_after_title(text, person, mentions, canonical)
        if language == "zh" and person.organization is None:
            person.organization = _organization_before_title(text, person, organizations, mentions, canonical)
        if language == "en":
            _split_title_organization(person, organizations, mentions, canonical)
            if len(person.titles) > 1:  # "Group CEO of X" split, and "Group CEO, X" in a caption: one title
                seen = {t.casefold(): t for t in reversed(person.titles)}
                person.titles = [t for t in person.titles if seen.pop(t.casefold(), None) is not None]
        if person.organization is None:
            person.organization = _organization_in_titles(person.titles, organizations)
        if person.organization is None:
            person.organization = _government_of(person.titles, organizations)
        person.mentions = _mentions(text, person)
    if language == "en":
        _surname_mentions(text, people)
        for person in people:
            _post_said_later(text, person, organizations, mentions, canonical, sentence_list)

    title, title_start = headline(text)
    dates = [d for d in find_dates(text, language) if not any(s <= d.span[0] < e for s, e in byline_spans)]
    story_dates = [d for d in dates if not _on_meta_line(text, d.span[0])] or dates
    headline_end = title_start + len(title) if title_start == 0 or not text[:title_start].strip() else 0
    if language == "en" and " by the " in text:
        _role_mentions(text, people, mentions, canonical)
    agreements = find_agreements(sentence_list, mentions, people, canonical, skip_before=headline_end)
    _signers_organizations(agreements, people)
    figures = find_figures(text, language)
    industries = _industries(scan, gazetteer, text, mentions)

    result = {
        "source": source or title,
        "language": language,
        "event": {
            "kind": event_kind(title, text),
            "date": _event_date(story_dates, dates, text, language, sentence_list),
            "title": title,
        },
        "organizations": _with_short_forms(organizations, mentions, canonical),
        "people": [p.as_dict() for p in people],
        "bylines": [b.as_dict() for b in bylines],
        "agreements": [a.as_dict() for a in agreements],
        "figures": [f.as_dict() for f in figures],
        "industries": industries,
    }
    return result


_LEGAL_FORM_AFTER = re.compile(r" (?:GmbH|AG|AB|SAS|SA|S\.A\.|SE|NV|BV|LLC|Inc\b|Ltd\b|Co\.,|Pte\b|plc\b)")
_PLACE_POST = re.compile(r"\b(?:mayor|governor|party chief|party secretary|(?:district|county) (?:head|chief))\b", re.I)
_SOURCE_LABEL = re.compile(r"\bSource\s*:\s*$")


def _after_source_label(text: str, offset: int) -> bool:
    """ "Source: Harlow City People's Government Information Office": the publisher, no organization of the story."""
    line_start = text.rfind("\n", 0, offset) + 1
    return bool(_SOURCE_LABEL.search(text, line_start, offset))


_ROLE = re.compile(
    r"\b(?i:the) (?P<title>(?i:(?:(?:Deputy|Vice|Executive|General|Chief) )*(?:Chairman|Chairwoman|President|Director|"
    r"General Manager|Managing Director|Chief Executive(?: Officer)?|CEO|Mayor|Governor|Secretary|Head))) of "
    r"(?:the )?(?P<owner>[A-Z][\w'’&.\-]*(?: [A-Z][\w'’&.\-]*){0,5})(?=[,.;]| and\b| for\b| together\b|$)"
)


def _role_mentions(text: str, people, mentions, canonical) -> None:
    """ "signed by the Chairman of SCZONE, the Chairman of Hairun-Egypt and Mr. C": a post and its organization stand
    for the one person of the article who holds them (as a mention of that person)."""
    holders: dict[tuple[str, str], list] = {}
    for person in people:
        if person.organization:
            for title in person.titles:
                holders.setdefault((title.casefold(), person.organization), []).append(person)
    if not holders:
        return
    for match in _ROLE.finditer(text):
        owner = resolve_organization(match.group("owner"), mentions, loose=True)
        owner = canonical(owner) if owner else None
        found = holders.get((match.group("title").casefold(), owner or ""), [])
        if len(found) == 1 and match.start() not in found[0].mentions:
            found[0].mentions = sorted([*found[0].mentions, match.start()])


def _signers_organizations(agreements, people) -> None:
    """ "Chief Executive Jun Ito signed for Kestrel": a signer of no known organization is of the party they signed
    for."""
    by_name = {p.name: p for p in people}
    for agreement in agreements:
        for signatory in agreement.signatories:
            person = by_name.get(signatory["person"])
            if person is not None and person.organization is None and signatory["on_behalf_of"]:
                person.organization = signatory["on_behalf_of"]


def _without_people(found, people, text: str, language: str) -> list:
    """An English name run that swallowed a person: "Sichuan Provincial Department of Commerce Tang Li" ends before
    the person; "Suzhou Vice-Mayor Chen Hong and Daewon Energy Group" starts after "Chen Hong and"."""
    if language != "en":
        return found
    kept = []
    for organization in found:
        start, end = organization.span
        inside = [
            p.span for p in people if start < p.span[1] and p.span[0] < end and (p.span[0] > start or p.span[1] < end)
        ]
        if inside:
            first, last = min(inside), max(inside)
            # "... and B for Hanlin Battery Co., Ltd.": whom the person signed for, after them
            tail = re.match(r"\s*(?:,\s*)?(?:and|&|for|of|at|from|representing)\s+(?:the\s+)?", text[last[1] : end])
            if tail and last[1] + tail.end() < end:
                start = last[1] + tail.end()
            elif first[0] > start:
                end = first[0]
            else:
                continue
            name = text[start:end].strip(" ,")
            if len(name.split()) < 2:
                continue
            start = text.index(name, start)
            organization = type(organization)(name, kind_of(name, language), (start, start + len(name)))
        kept.append(organization)
    return kept


def _with_short_forms(organizations, mentions, canonical) -> list[dict]:
    """The organizations, each with the other forms the article writes it in ("aliases": "临港集团", "Hengyuan
    Group"): the review offers them to the directory as aliases when the reviewer confirms the organization."""
    listed = []
    for organization in organizations:
        row = organization.as_dict()
        forms = {
            " ".join(m.name.split())
            for m in mentions
            if canonical(m.name) == organization.name and name_key(m.name) != name_key(organization.name)
        }
        if forms:
            row["aliases"] = sorted(forms)
        listed.append(row)
    return listed


def _attach_organization(person, mentions, canonical, language: str) -> None:
    """A person's organization: one named inside their title ("chairman of Huahong Group"), or, in Chinese, the
    one written right before it ("华虹集团董事长"); a title that starts inside that name loses the overlap
    ("新吴区委" + "区委书记" -> "书记")."""
    for index, (start, end) in enumerate(person.title_spans):
        for organization in mentions:
            o_start, o_end = organization.span
            inside = start <= o_start and o_end <= end + 1
            before = language == "zh" and o_start < start <= o_end + 1
            if not (inside or before):
                continue
            person.organization = person.organization or canonical(organization.name)
            if before and o_end > start and index < len(person.titles):
                person.titles[index] = person.titles[index][o_end - start :] or person.titles[index]
            break


def _organization_after_title(text: str, person, mentions, canonical) -> str | None:
    """ "Mr. Cao Jun, President, Nantong Port Co., Ltd.": the organization written right after the post, between
    commas, as lists of signatories and guests write it."""
    for _start, end in person.title_spans:
        gap = re.match(r",[ \t]*", text[end : end + 3])
        if not gap:
            continue
        found = next((m for m in mentions if m.span[0] == end + gap.end()), None)
        if found:
            return canonical(found.name)
    return None


_ANAPHORA = {
    "group": "group", "company": "enterprise", "firm": "enterprise", "operating company": "enterprise",
    "university": "university", "bank": "financial", "institute": "university", "hospital": "hospital",
    "committee": "government", "management committee": "government", "administrative committee": "government",
    "district": "government",
    "park company": "enterprise", "park operator": "enterprise", "operator": "enterprise", "developer": "enterprise",
}  # fmt: skip


def resolve_organization(phrase: str, organizations, *, loose: bool = False) -> str | None:
    """The organization a phrase names, written in full or shortened ("Lumeng Semiconductor Materials",
    "云帆热管理系统", "the bank's Suzhou branch" -> the bank's branch when listed)."""
    phrase = re.sub(r"^(?:the|its|their)\s+", "", phrase.strip(), flags=re.I).rstrip(" ,.")
    key = phrase.casefold()
    if len(key) < 2:
        return None
    best = None
    for organization in organizations:
        name = organization.name.casefold()
        if key in (name, _short(name)):
            return organization.name
    # "Tamsen Optics (Wuhan) Co" starts the subsidiary's name and its parent's short form: the longest one
    starting = [
        o for o in organizations if len(_short(o.name.casefold())) >= 4 and key.startswith(_short(o.name.casefold()))
    ]
    if starting:
        return max(starting, key=lambda o: len(_short(o.name.casefold()))).name
    for organization in organizations:
        name = organization.name.casefold()
        short = _short(name)
        if loose and len(key) >= 6 and (key in name or short in key) and best is None:
            best = organization.name
    if best or _PLACE_EN.search(phrase):
        return best  # "Party Secretary of Binhu District": the place stays in the title
    found = best_full_form(phrase, [o.name for o in organizations])
    if found is None and re.fullmatch(r"[A-Z][\w&\-]*", phrase):
        # "Daewon" for "Daewon Semitech Co., Ltd." and its "Daewon Semitech (Hefei) Co., Ltd.": the parent's name
        named = [o.name for o in organizations if o.name.startswith(phrase + " ")]
        plain = [n for n in named if "(" not in n]
        found = plain[0] if len(named) > 1 and len(plain) == 1 else None
    return found


_PLACE_EN = re.compile(r"\b(?:district|city|county|province|new area|zone)$", re.I)


def _short(name: str) -> str:
    return re.sub(
        r"(?:,? (?:co\.,? ?ltd\.?|ltd\.?|inc\.?|corp\.?|limited|gmbh|ag|ab|a/s|k\.k\.|pte\.?))+$"
        r"|(?:股份有限公司|有限责任公司|有限公司|公司)$",
        "",
        name,
    )


_FOR_X_WAS = re.compile(r"\b(?:for|on behalf of) (?P<x>[A-Z][\w&'’.\- ]{1,60}?),? (?:was|were) $")


def _described_as(word: str, before, sentence_list):
    """ "Binhai Plant Leasing Co., Ltd., the developer of the zone, ...": the organization an apposition named what a
    later "the developer's" refers to (the last so described)."""
    pattern = re.compile(rf"^,? (?:the|a|an|its) (?:[\w-]+ ){{0,2}}?{re.escape(word.casefold())}\b", re.I)
    for mention in reversed(before):
        sentence = next((s for s in sentence_list if s.start <= mention.span[0] < s.end), None)
        if sentence and pattern.match(sentence.text[mention.span[1] - sentence.start :]):
            return mention
    return None


def _owner_organization(person, organizations, mentions, canonical, sentence_list=()) -> str | None:
    """ "Ruichi's chairman": Ruichi Robotics Co., Ltd.; "its chief executive": the organization named last before,
    or, when "Its" opens a sentence, the first named in the sentence before (its subject)."""
    before = [m for m in mentions if m.span[1] <= person.owner_at]
    if person.owner == "whose":  # "Jiangbei Lens Materials Co., Ltd., whose vice-president Qiao Feng"
        return canonical(before[-1].name) if before else None
    if person.owner == "our":  # "Our co-founder and CEO, A": a post, release or company page's own organization
        return canonical(mentions[0].name) if mentions else None
    if person.owner in ("its", "their"):
        opening = [i for i, s in enumerate(sentence_list) if s.start <= person.owner_at < s.end]
        if opening:  # "Signing on behalf of Tarsis was its president A": the organization the clause opened with
            here = sentence_list[opening[0]]
            before_owner = here.text[: person.owner_at - here.start]
            said = _FOR_X_WAS.search(before_owner) if before_owner.endswith((" was ", " were ")) else None
            named = resolve_organization(said.group("x"), organizations) if said else None
            if named:
                return canonical(named)
        if (
            opening
            and opening[0] > 0
            and not sentence_list[opening[0]].text[: person.owner_at - sentence_list[opening[0]].start].strip()
        ):
            previous = sentence_list[opening[0] - 1]
            subject = [m for m in mentions if previous.start <= m.span[0] < previous.end]
            if subject:
                return canonical(subject[0].name)
        return canonical(before[-1].name) if before else None
    if person.owner.startswith("the "):  # "the park's general manager": the last park named
        word = person.owner[4:].rstrip("'’s").rstrip("'’")
        described = _described_as(word, before, sentence_list)
        return canonical(described.name) if described else _referred_before(word, before, canonical)
    inside = next((m for m in mentions if m.span[0] <= person.owner_at < m.span[1]), None)
    if inside:  # "Norvale Biotherapeutics (Shanghai) Co., Ltd.'s president"
        return canonical(inside.name)
    return resolve_organization(person.owner, organizations)


_SHORT_KINDS = {
    "park": ("park", "enterprise"), "园区": ("园", ""), "group": ("group", ""), "集团": ("集团", ""),
    "company": ("", "enterprise"), "firm": ("", "enterprise"), "公司": ("公司", "enterprise"),
    "bank": ("bank", "financial"), "银行": ("银行", "financial"), "university": ("universit", "university"),
    "大学": ("大学", "university"), "学院": ("学院", "university"), "park company": ("park", "enterprise"),
    "district": ("district", "government"), "zone": ("zone", ""),
    "institute": ("institute", ""), "hospital": ("hospital", "hospital"), "医院": ("医院", "hospital"),
    "operator": ("", "enterprise"), "developer": ("", "enterprise"), "区政府": ("区", "government"),
    "管委会": ("", "government"), "center": ("cent", ""), "centre": ("centr", ""), "committee": ("committee", "government"),
    "college": ("college", "university"), "fund": ("fund", "financial"), "lab": ("lab", ""), "laboratory": ("lab", ""),
    "commission": ("commission", "government"), "administration": ("administration", "government"),
    "bureau": ("bureau", "government"), "branch": ("branch", ""),
}  # fmt: skip


#: a firm named by what it does or is to the story ("the lens maker", "the landlord"): no word of its name
_FIRM_WORDS = {
    "firm", "company", "operator", "developer", "maker", "manufacturer", "producer", "supplier", "refiner",
    "landlord", "investor", "subsidiary",
}  # fmt: skip
_SHORT_KINDS.update(
    {word: ("", "enterprise") for word in _FIRM_WORDS - set(_SHORT_KINDS)} | {"lender": ("", "financial")}
)


def _referred_before(word: str, before, canonical) -> str | None:
    """ "the park", "园区", "公司" before a title: the last organization named before whose name holds the word (or of
    the kind the word means)."""
    word = word.casefold()
    if word not in _SHORT_KINDS and " " in word:  # "the display firm", "the holding group": the head word decides
        words = word.split()
        clues = [w for w in words[:-1] if len(w) > 2]
        head = [] if words[-1] in _FIRM_WORDS else [words[-1]]
        named = [m for m in before if clues and all(c in m.name.casefold() for c in clues + head)]
        if not head and words[-1] in _FIRM_WORDS:  # "the Hefei subsidiary": a company with Hefei in its name
            named = [m for m in named if m.kind == "enterprise"]
        if named:
            return canonical(named[-1].name)
        word = words[-1]
    clue, kind = _SHORT_KINDS.get(word, ("", ""))
    if not (clue or kind):
        return None
    found = [m for m in before if clue and clue in m.name.casefold()]
    if not found and kind:
        # "the company" with no word of its name: the one of that kind the story has named most often (the
        # story's subject), the last named of them when as often
        found = [m for m in before if m.kind == kind]
        counts = Counter(canonical(m.name) for m in found)
        found = sorted(found, key=lambda m: counts[canonical(m.name)])
    return canonical(found[-1].name) if found else None


def _split_title_organization(person, organizations, mentions, canonical) -> None:
    """ "chairman of Huahong Group" is the title "chairman" at the organization Huahong Group; "Party Secretary
    of Xinwu District" stays as it is (a district is not a listed organization)."""
    for index, title in enumerate(person.titles):
        # "head of investment promotion at the administrative committee": each " of "/" at " from the left, the
        # first whose tail names an organization
        for match in re.finditer(r" (?:of|at) ", title):
            head, tail = title[: match.start()], title[match.end() :]
            if _GOVERNMENT_TITLE.search(head) and re.fullmatch(r"[A-Z][a-z]+", tail):
                break  # "Deputy Mayor of Wuxi", "District Governor of Xinwu": the place belongs to the post
            by_part = _named_by_part(tail, organizations, canonical)
            organization = (by_part if _OWNERS_PART.search(tail) else None) or resolve_organization(tail, organizations)
            organization = organization or by_part
            anaphor = tail.casefold().removeprefix("the ").split("'")[0]
            if (
                organization is None
                and re.fullmatch(
                    r"[a-z-]+ (?:group|company|firm|bank|university|institute|hospital|operator|developer)", anaphor
                )
                and anaphor not in _ANAPHORA
            ):
                # "deputy general manager of the holding group": the last group named before
                organization = _referred_before(anaphor, [m for m in mentions if m.span[0] < person.span[0]], canonical)
            if organization is None and anaphor in _ANAPHORA:
                organization = _last_before(person, mentions, canonical, anaphor)
            if organization:
                person.titles[index] = head
                person.organization = person.organization or organization
                break


#: "Harlow's China operations", "Harlow's Asian business": a company's part named by its owner
_OWNERS_PART = re.compile(r"['’]s (?:[A-Z][\w-]* ){0,2}(?:operations|business|unit|arm|division)$")


def _named_by_part(tail: str, organizations, canonical) -> str | None:
    """The organization a title's tail names by an acronym the article defined ("chairman of HTC"), or by the first
    words of its name ("chief executive of Harlow" for "Harlow Tools AG", before its subsidiary "Harlow Tools
    (Wuxi) Co., Ltd."), or by its owner ("general manager of Harlow's China operations": the subsidiary)."""
    bare = _OWNERS_PART.sub("", tail.strip()).removeprefix("the ")
    part = bare != tail.strip().removeprefix("the ")  # "X's China operations": its local unit, when named
    if not re.fullmatch(r"[A-Z][\w&\-]*(?: [A-Z][\w&\-]*){0,2}", bare):
        return None
    names = {o.name for o in organizations}
    mapped = canonical(bare)
    if mapped != bare and mapped in names:
        return mapped
    companies = [o.name for o in organizations if o.kind == "enterprise" and o.name.startswith(bare + " ")]
    return min(companies, key=lambda n: (("(" in n) != part, len(n))) if companies else None


def _last_before(person, mentions, canonical, anaphor: str) -> str | None:
    """ "general manager of the group": the last group named before the person."""
    kind = _ANAPHORA[anaphor]
    earlier = [m for m in mentions if m.span[0] < person.span[0]]
    clues = [w for w in anaphor.split() if w not in ("company", "firm", "operating", "operator", "developer")]
    candidates = [m for m in earlier if clues and all(w in m.name.casefold() for w in clues)]
    candidates = candidates or [m for m in earlier if anaphor in m.name.casefold() or kind == m.kind]
    return canonical(candidates[-1].name) if candidates else None


def _organization_before_title(text: str, person, organizations, mentions, canonical) -> str | None:
    """ "云帆热管理系统总经理吴青": the short name written before the title."""
    from parkos.intake.extraction.organizations import STOP_ZH

    # the first title of a chain ("芯联微电子董事长兼总裁", "区委常委、副区长") follows the organization; else the last
    for start, _end in dict.fromkeys(person.title_spans[:1] + person.title_spans[-1:]):
        window = text[max(0, start - 20) : start]
        stops = list(STOP_ZH.finditer(window))
        segment = window[stops[-1].end() :] if stops else window
        segment = re.sub(r"^(?:该|其|本)(?=[\u4e00-\u9fff]{2,3}$)", "", segment)  # "该公司董事长"
        found: str | None = None
        if segment in _SHORT_KINDS:  # "公司董事长彭远", "园区总经理江华"
            found = _referred_before(segment, [m for m in mentions if m.span[1] <= start], canonical)
        elif len(segment) >= 2:
            found = resolve_organization(segment, organizations, loose=True)
        if found:
            return found
    return None


_GOVERNMENT_TITLE = re.compile(
    r"secretary|mayor|governor|district|county|party chief|书记|区长|市长|省长|县长|常委|副区长|副市长|副省长", re.I
)


def _government_of(titles: list[str], organizations) -> str | None:
    """ "Party Secretary of Xinwu District", "新吴区委书记": the district's government, when the article names it."""
    from parkos.intake.extraction.events import name_overlap

    clue = " ".join(titles)
    if not _GOVERNMENT_TITLE.search(clue):
        return None
    governments = [o for o in organizations if o.kind == "government"]
    area = re.search(r"\b[A-Z][a-z]+ (?:New Area|Free Trade Zone|Pilot Free Trade Zone)\b", clue)
    if area:
        # "Jiangbei New Area Party Secretary": a new area is governed by its committee
        governments = [o for o in governments if area.group().casefold() in o.name.casefold()]
    elif not re.search(r"[\u4e00-\u9fff]", clue) and re.search(r"mayor|governor|party|secretary", clue, re.I):
        # "Nantong Vice-Mayor": the city's government, not "Nantong Hi-tech Zone Administrative Committee"
        governments = [o for o in governments if re.search(r"government", o.name, re.I)]
    scored = [
        (name_overlap(clue, o.name), bool(re.search(r"government|政府", o.name, re.I)), o.name) for o in governments
    ]
    scored = [pair for pair in scored if pair[0] > 0]
    if scored:
        best: str = max(scored)[2]
        return best
    # "区委常委、副区长", "区长" with no place: the one government of that level the article names
    level = _LEVEL_ZH.search(clue)
    if level:
        own: list[str] = [o.name for o in organizations if re.search(rf"{level.group(1)}(?:人民政府|政府)$", o.name)]
        return own[0] if len(own) == 1 else None
    # "deputy district head", "Secretary of the Municipal Party Committee": the one government of that level
    level = re.search(r"\b(district|city|county|municipal)\b", clue, re.I)
    if level:
        word = level.group(1).casefold()
        words_of_level = ("city", "municipal") if word in ("city", "municipal") else (word,)
        own = [
            o.name
            for o in organizations
            if re.search(r"government", o.name, re.I) and any(w in o.name.casefold() for w in words_of_level)
        ]
        return own[0] if len(own) == 1 else None
    return None


_LEVEL_ZH = re.compile(r"(?:^|\s|副)([区市县])(?:长|委)")


def _organization_in_titles(titles: list[str], organizations) -> str | None:
    """ "general manager of Suzhou Xiangcheng Science Park Operation": the organization the title names, even
    without its legal form ("Co., Ltd.")."""
    joined = " ".join(titles).casefold()
    if not joined:
        return None
    for organization in organizations:
        name = organization.name.casefold()
        short = re.sub(
            r"(?:,? (?:co\.,? ?ltd\.?|ltd\.?|inc\.?|corp\.?|limited|group))+$|(?:有限公司|股份有限公司)$", "", name
        )
        if name in joined or (len(short) >= 4 and short in joined):
            return organization.name
    return None


def _surname_mentions(text: str, people) -> None:
    """ "Mehta and Wen signed": an English article names a person again by the surname alone ("Lin" of "Lin
    Zhiqiang", "Mehta" of "Arjun Mehta"), when no other person of the article has that word in their name."""
    from parkos.intake.extraction.people import SURNAMES_PINYIN

    def surname(name: str) -> str:
        words = name.split()
        if len(words) >= 2 and re.fullmatch(r"[A-Z][a-z]+-[a-z]+", words[-1]):
            return words[-2]  # "Kim Sung-ho", "Kevin Ho Kwok-leung": the family name before the hyphenated given name
        return words[0] if words[0] in SURNAMES_PINYIN and len(words) <= 3 else words[-1]

    words = [w for p in people for w in p.name.split()]
    for person in people:
        if len(person.name.split()) < 2:
            continue
        word = surname(person.name)
        if words.count(word) != 1:
            continue
        full = [(m, m + len(person.name)) for m in person.mentions]
        found = [
            m.start()
            for m in re.finditer(rf"(?<![\w.\-])(?:(?:Mr|Ms|Mrs|Dr)\.? )?{re.escape(word)}\b(?! [A-Z])", text)
            if not any(s <= m.start() < e for s, e in full)
            and not re.match(r"[\w]", text[m.start() - 1 : m.start()] or " ")
        ]
        found = [m for m in found if text[m - 1 : m] not in ("-", "’", "'")]
        given = words_of[0] if len(words_of := person.name.split()) >= 2 else ""
        if (
            not found
            and text.count(given) > len(person.mentions)  # written somewhere but in the full name
            and given not in SURNAMES_PINYIN
            and words.count(given) == 1
            and not given.endswith(".")
        ):
            # "The signatories were Azman, ...", "Siriporn said": a Malay or Thai name again by the given name
            found = [
                m.start()
                for m in re.finditer(rf"(?<![\w.\-’'])(?<![A-Z][a-z] ){re.escape(given)}\b(?! [A-Z])", text)
                if not any(s <= m.start() < e for s, e in full)
            ]
        person.mentions = sorted({*person.mentions, *found})


def _post_said_later(text: str, person, organizations, mentions, canonical, sentence_list) -> None:
    """ "Li is the center's deputy director; Weber is Avelor's vice president for Asia": a post given in a clause of
    its own, by the surname, after the person was named (and their organization when the post has its owner)."""
    from parkos.intake.extraction.people import _SURNAME_IS_POST

    for at in person.mentions[1:] if len(person.mentions) > 1 else ():
        said = _SURNAME_IS_POST.match(text, at)
        words = person.name.split()
        # by the surname alone (a full name's "is the president of X" is read where the people are found)
        if not said or len(words) < 2 or said.group("who") not in (words[0], words[-1]):
            continue
        title = said.group("title")
        if title.casefold() not in {t.casefold() for t in person.titles}:
            person.titles.append(title)
            person.title_spans.append(said.span("title"))
        if person.organization is None and said.group("owner"):
            owner = said.group("owner")
            person.owner = owner.casefold() + "'s" if owner.startswith("the ") else owner
            person.owner_at = said.start("owner")
            person.organization = _owner_organization(person, organizations, mentions, canonical, sentence_list)
        return


def _mentions(text: str, person) -> list[int]:
    """Every place the person's name is written (a later "Li Qian and Zhang Wei signed ..." counts)."""
    found = [person.span[0]]
    pattern = re.compile(re.escape(person.name) + (r"\b" if person.name[-1:].isascii() else ""))
    found += [m.start() for m in pattern.finditer(text) if m.start() != person.span[0]]
    return sorted(found)


def _industries(scan: Scan, gazetteer: Gazetteer, text: str, mentions) -> list[str]:
    """Industries named in the story, not as part of a company's name ("Huahong Semiconductor", "泰宇半导体")."""
    seen: dict[str, str] = {}
    names = [m.name for m in mentions]
    for start, end in gazetteer.find(scan, industries=True):
        if any(m.span[0] <= start < m.span[1] for m in mentions):
            continue
        if (
            text[start].isupper()
            and start
            and not re.search(r"(?:^|[.!?\n]\s*|\s(?:--|-|—|–)\s*)$", text[max(0, start - 4) : start])
        ):
            continue  # "Harbin Maple Robotics": a capitalised word inside a sentence is a name, not the industry
        before = text[max(0, start - 2) : end]
        if CJK.match(before) and any(before in name for name in names):
            continue  # a company's short name: "泰宇半导体" of "泰宇半导体有限公司"
        name = text[start:end]
        seen.setdefault(re.sub(r"s$", "", name.casefold()), name)  # "integrated circuit(s)" once
    return list(seen.values())


_META_LINE = re.compile(r"\d{1,2}:\d{2}|来源|发布|更新|编辑|记者|published|updated|posted|source:|editor", re.I)


def _on_meta_line(text: str, offset: int) -> bool:
    """A date on the publication line ("2025-06-13 08:30 来源：合肥日报") is when the article appeared, not the event."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return bool(_META_LINE.search(text[start : end if end >= 0 else len(text)]))


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: "signed ... on Wednesday" (not "the district government said on Tuesday", not "on Tuesday, November 18")
_ON_WEEKDAY = re.compile(
    r"(?<!\bsaid )(?<!\bsays )(?<!\btold )(?<!\bannounced )(?<!\breported )\b[Oo]n (?P<day>Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday)\b(?!,? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|\d)| \()"
)


def _day_of_story(anchor, story_dates, text: str, sentence_list) -> str:
    """The day an English story says the signing happened, when its first date is the dateline or publication line
    (``anchor``): a date in a signing sentence within the week before it ("The agreement was signed on January 14",
    "inked the deal on June 23"; an explicit date wins), else a weekday in a signing sentence ("signed on Wednesday",
    not "said on Tuesday"): the latest such day on or before the anchor. Without a year the anchor's own weekday is
    known only from "said on Friday" and the like. A first date in the story itself is the day as it stands."""
    import datetime

    from parkos.intake.extraction.events import _SIGN_VERB, _SIGNED

    value = anchor.value
    if not _is_publication(text, anchor.span[0]):
        return value
    year = None if value.startswith("--") else int(value[:4])
    month_day = value[-5:]
    # a year to count days in when the story gives none (a leap one, so 02-29 is a day)
    published = datetime.date.fromisoformat(f"{year or 2000:04d}-{month_day}")

    def written(day: datetime.date) -> str:
        return day.isoformat() if year else day.isoformat()[4:].replace("-", "--", 1)

    signing = [
        s
        for s in sentence_list
        if s.end > anchor.span[1] and (_SIGN_VERB.search(s.text) or _CEREMONY_HELD.search(s.text))
    ]
    for found in story_dates:
        if found is anchor or not any(
            s.start <= found.span[0] < s.end and (_SIGNED.search(s.text) or _CEREMONY_HELD.search(s.text))
            for s in signing
        ):
            continue
        found_year = published.year if found.value.startswith("--") else int(found.value[:4])
        try:
            day = datetime.date.fromisoformat(f"{found_year:04d}-{found.value[-5:]}")
        except ValueError:
            continue
        if found.value.startswith("--") and day > published:  # "Dec 30" in a story dated Jan 2
            try:
                day = day.replace(year=day.year - 1)
            except ValueError:
                continue
        if 0 <= (published - day).days <= 7:
            return written(day)
    anchor_weekday = published.weekday() if year else None
    if anchor_weekday is None:
        said = _SAID_ON_WEEKDAY.search(text, anchor.span[1])
        if said is None:
            return value
        anchor_weekday = _WEEKDAYS.index(said.group("day").casefold())
    for sentence in signing:
        on = _ON_WEEKDAY.search(sentence.text)
        if on:
            back = (anchor_weekday - _WEEKDAYS.index(on.group("day").casefold())) % 7
            return written(published - datetime.timedelta(days=back))
    return value


#: "X said on Friday": a wire's dateline is the day its news was said
_SAID_ON_WEEKDAY = re.compile(
    r"\b(?:said|says|announced|told [\w ]{1,30}?)\s+on\s+(?P<day>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
#: a dateline: "SUZHOU, March 3 (Xinhua) --", "TOKYO, January 15, 2026 -"
_DATELINE_PREFIX = re.compile(r"[\s(\[]*[A-Z][A-Z .'&-]+(?:, [A-Z][A-Za-z .'&-]+)*,\s*")


#: "The ceremony was held by video on Tuesday": the day of a signing told in a sentence without the verb
_CEREMONY_HELD = re.compile(
    r"\b(?:signing |the )ceremony (?:was held|took place)\b|\bsigning took place\b|"
    r"\bsigning ceremony (?:for|of|on|between) [^;\n]{3,200}? (?:was held|took place)\b|"
    r"\b(?:was|were) (?:held|signed) (?:online|by video|via video(?: link)?)\b",
    re.I,
)
#: "X said in a filing on Wednesday (Feb 11, 2026)": the day the news was said, as a dateline gives it
_SAID_ON_DATE = re.compile(
    r"\b(?:said|says|announced|reported)\b[^.]{0,40}\bon (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r" \($"
)


def _is_publication(text: str, offset: int) -> bool:
    """A date on the publication line, in a dateline or on a short line at the top: when the story was written."""
    if _SAID_ON_DATE.search(text, max(0, offset - 80), offset):
        return True
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line = text[start : end if end >= 0 else len(text)]
    return (
        _on_meta_line(text, offset)
        or bool(_DATELINE_PREFIX.fullmatch(text[start:offset]))
        or (start < 400 and len(line.strip()) <= 120 and not re.search(r"[.!?]$", line.strip()))
    )


def _event_date(story_dates, dates, text: str = "", language: str = "", sentence_list=()) -> str | None:
    """The first date of the story (in English, the signing's day when the story says it relative to its dateline);
    a date without a year takes it from a full date near the top (the publication line) when there is one, else
    stays "--MM-DD"."""
    if not story_dates:
        return None
    top = [d for d in dates if not d.value.startswith("--") and d.span[0] < 400]
    anchor = story_dates[0]
    if language == "en" and anchor.value.startswith("--") and top and anchor.value[2:] == top[0].value[5:]:
        # "HOHHOT, Sept. 16 --" under "2026-09-16 20:05": the dateline's year is the publication line's, so its
        # weekday is known ("signed on Tuesday" is the 15th)
        anchor = dataclasses.replace(anchor, value=top[0].value)
        story_dates = [anchor, *story_dates[1:]]
    value = anchor.value
    if language == "en":
        value = _day_of_story(anchor, story_dates, text, sentence_list)
    if value.startswith("--"):
        if top:
            year, month_day = int(top[0].value[:4]), value[2:]
            if month_day > top[0].value[5:]:
                year -= 1
            return f"{year}-{month_day}"
        issue = _MONTH_YEAR.search(text, 0, 400)
        if issue:  # "Estate News | Issue 42 | July 2026": the issue's month and year
            year = int(issue.group("year")) - (int(value[2:4]) > _MONTHS.index(issue.group("month")[:3]) + 1)
            return f"{year}-{value[2:]}"
    return value


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_YEAR = re.compile(
    r"\b(?P<month>January|February|March|April|May|June|July|August|September|October|November|December) "
    r"(?P<year>(?:19|20)\d\d)\b"
)
