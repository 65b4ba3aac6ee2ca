"""What happened: the event's kind, date and title, and the agreements signed at it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from parkos.intake.extraction.shortforms import (
    BOTH_SIDES,
    REFERENCE_EN,
    REFERENCE_KINDS,
    REFERENCE_ZH,
    distinctive_en,
    referred,
)
from parkos.intake.extraction.text import Sentence

# --- the event --------------------------------------------------------------------------------------

_KIND_WORDS = {
    "signing": (
        r"\bsign(?:s|ed|ing)?\b|signing ceremony|inked|签约|签署|签订|签下|协议|合作备忘录",
        "sign",
    ),
    "visit": (
        r"\bvisit(?:s|ed|ing)?\b|delegation|inspection tour|\btour(?:s|ed)?\b|study trip|考察|调研|来访|参观|访问|代表团|走访",
        "visit",
    ),
    "meeting": (
        r"\bmeeting\b|conference|\bforum\b|plenary|summit|symposium|seminar|promotion (?:event|conference)|"
        r"\bsession\b|roundtable|\bexpo\b|investment fair|trade fair|会议|大会|论坛|座谈会|推介会|峰会|洽谈会|恳谈会|研讨会|交流会|博览会|全会",
        "meeting",
    ),
    "celebration": (
        r"anniversary|celebrat(?:e|es|ed|ion|ing)|\bgala\b|inaugurat|grand opening|opening ceremony|founding day|"
        r"\bopens\b|\bopened\b|"
        r"周年|庆典|庆祝|纪念|开园|揭牌|开业|落成",
        "celebration",
    ),
}
_KIND_PATTERNS = {kind: re.compile(words, re.I) for kind, (words, _label) in _KIND_WORDS.items()}
#: when the headline and the body pull different ways, the headline wins, and among equals this order
_PRIORITY = ("celebration", "visit", "meeting", "signing")
_DATELINE = re.compile(r"^\s*[A-Z][A-Z ,.]{2,40}(?:,\s*[A-Z][a-z]+\.? \d{1,2})?\s*(?:\([A-Za-z ]+\))?\s*(?:--|—|–)\s*")


def event_kind(title: str, body: str) -> str:
    """The kind with most weight: a keyword in the headline counts five times one in the body (at most 5 there)."""
    scores = {}
    for kind, pattern in _KIND_PATTERNS.items():
        scores[kind] = 5 * len(pattern.findall(title)) + min(5, len(pattern.findall(body)))
    best = max(scores.values())
    if best == 0:
        return "other"
    title_kinds = [k for k in _PRIORITY if _KIND_PATTERNS[k].search(title)]
    if title_kinds:
        return title_kinds[0]
    return next(k for k in _PRIORITY if scores[k] == best)


_BYLINE_LINE = re.compile(
    r"^(?:by|written by|reporter|editor|source|photo|published|updated|date|本报记者|记者|编辑|责任编辑|来源|发布时间|时间|作者)\b",
    re.I,
)


_BREADCRUMB = re.compile(r"当前位置|首页\s*[>›»]|^\s*Home\s*[>›»/]|\s[>›»]\s.*\s[>›»]\s")


def headline(text: str) -> tuple[str, int]:
    """The first line that reads as a headline (short, not a by-line, not a date); else the first sentence."""
    for match in re.finditer(r"[^\n]+", text):
        line = match.group().strip()
        if (
            not line
            or _BYLINE_LINE.match(line)
            or re.fullmatch(r"[\d\-/.:年月日\s]+", line)
            or _BREADCRUMB.search(line)
        ):
            continue
        if len(line) <= 160:
            return line, match.start() + match.group().find(line)
        first = re.split(r"(?<=[.。!?！？])\s*", line)[0]
        return first[:160].strip(), match.start()
    return "", 0


# --- agreements -------------------------------------------------------------------------------------

_AGREEMENT_KINDS = (
    ("strategic", r"strategic (?:cooperation |partnership |collaboration )?(?:framework )?agreement|"
     r"strategic cooperation|strategic partnership|战略合作(?:框架)?协议|战略合作协议|战略协议|战略合作"),
    ("memorandum", r"memorand(?:um|a) of understanding|\bmou\b|\bmous\b|memorand(?:um|a)|letters? of intent|"
     r"备忘录|意向书|意向协议"),
    ("lease", r"lease (?:agreement|contract)|leasing (?:agreement|contract)|\b(?:a|an|the|its|their|new) (?:accompanying |related |separate |matching |land )?leases?\b|"
     r"租赁协议|租赁合同"),
    ("investment", r"investment (?:agreement|contract|deal)s?|project (?:agreement|contract)s?|settlement agreement|"
     r"投资协议|投资合同|项目合同|项目协议|入园协议|落户协议|招商协议|投资合作协议"),
    ("framework", r"framework agreement|cooperation agreement|partnership agreement|框架协议|合作协议"),
)  # fmt: skip
#: "the agreement", "all three agreements", "协议": an agreement already named, or a framework one if none was
_GENERIC_AGREEMENT = re.compile(r"\bagreements?\b|\bcontracts?\b|协议|合同", re.I)
_AGREEMENT_PATTERNS = [(kind, re.compile(words, re.I)) for kind, words in _AGREEMENT_KINDS]
_PLURAL = re.compile(
    r"\b(?:agreements|contracts|memoranda|mous|deals)\b|respectively|separately|分别|各自|逐一|一一", re.I
)
#: "The Chinese side was represented by A", "the landlord was represented by its chairman, B": a signer, in a signing
_REPRESENTED_BY = r"\b(?:side|sides|party|parties|landlord|tenant|company|bank|university|committee|group|government)" \
    r" (?:was|were) represented by\b"  # fmt: skip
_SIGN_VERB = re.compile(
    _REPRESENTED_BY
    + r"|\bsignatories(?: (?:to|of|for) (?:the|this|that|both|all|each) [\w-]+(?: [\w-]+)?)? (?:were|are|included)\b|\bsignatories\s*:|\bsign(?:s|ed|ing|atures?|atories)?\b|\binked\b|\bent(?:er|ers|ered|ering) into\b|\bput pen to paper\b|\bput (?:their|his|her) names? to\b|\b(?:penned|inking|executed|affixed)\b|\b(?:was|were) represented at the (?:signing|ceremony) by\b|\bseal(?:s|ed|ing)? (?:a|an|the) (?:deal|agreement|contract)\b|\b(?:deal|agreement|contract|pact)s? (?:was|were) sealed\b|签约|签署|签订|签下|共同签|签字",
    re.I,
)
#: the verb that makes a person named before it a signer ("the signing" they attended does not)
_SIGNED = re.compile(
    r"\brepresented (?!by\b)|\bsign(?:s|ed)?\b|\bafter signing\b|\bsigning (?=for\b|on behalf\b)|\binked\b|\bseal(?:s|ed)? (?:a|an|the) (?:deal|agreement|contract)\b|\bentered into\b|\bput pen to paper\b|\bput (?:their|his|her) (?:names?|signatures?) to\b|\b(?:penned|executed|affixed|did (?:so|the same))\b|\b(?:were|was) (?:the |its |their )?signatories\b|签署|签约(?!仪式|活动|现场|大会|项目)|签订|签下|签字",
    re.I,
)
#: "Wen said two more companies were expected to sign": somebody speaking of a signing, not signing
_NOT_YET = re.compile(
    r"\b(?:said|says|told|expected|expects|plans?|hopes?|will|would|to)\b\s*(?:\S+\s+){0,6}?s?$|\bto s$", re.I
)
_SIGNED_WITH = re.compile(
    r"^(?: (?:the|an?|its|their)(?: [\w-]+){0,3})?(?: (?:at|on|in) the [\w-]+)?"
    r"(?:,? (?:with|together with|along with|alongside) | with(?: (?!and\b|who\b|which\b)[\w'’.-]+){1,5} )$",
    re.I,
)
#: "江南集团总经理孙浩介绍，…集团已与…签约": the person speaks of a signing, the signer is the organization
_SPOKE_ZH = re.compile(r"表示|介绍|说|指出|透露|称|谈到")
#: "signed on stage by A", "Signing the agreement were A and B" (not "Present at the signing were ...")
_SIGNED_BY = re.compile(
    _REPRESENTED_BY
    + r"|\bsaw (?:the )?signatures? (?:from|of|by)\b|^(?:Photo \d+:\s*)?Signing (?:the |an? )?[\w -]{0,60}?(?:\([^()]{0,30}\))?:"
    + r"|\bsignatories(?: (?:to|of|for) (?:the|this|that|both|all|each) [\w-]+(?: [\w-]+)?)? (?:were|are|included)\b|\b(?:signatories|signing|signed by|signers)\s*:|\b(?:signed|inked|sealed)(?:,? (?!witness|watch|attend|present|presided|hosted|accompan|joined|led\b|observ)[\w-]+){0,8}?,? by\b|\b(?:signed|inked) (?:between|with) [^;]{3,160}? by\b|(?<!\bthe )(?<!\bthis )\b(?:signing|inking)(?: [\w-]+){0,3}? (?:were|was)\b|\bsigning was (?:done|carried out|performed) by\b|\bas did\b|\bsignatures? of\b|\b(?:was|were) represented at the (?:signing|ceremony) by\b|由",
    re.I,
)
#: after a name, whom they signed for with the verb left out: "... and chairman B for Harlow", "and Mr. B, the
#: committee's deputy director, for the zone"
_GAPPED_FOR = re.compile(r"(?:, (?:the |its |their )?[\w'’ -]{2,60},)?,? (?:for|on behalf of) (?:the |its )?[A-Z\w]")
#: "Verhoeven's chief financial officer": a name in the possessive owns something, here a company's post
_POSSESSIVE = re.compile(r"[A-Z][\w.\-]*(?: [A-Z][\w.\-]*)*['’]s ")
#: a name right after "for" or "on behalf of" is a party's short name, not a person who signs
_FOR_BEFORE = re.compile(r"\b(?:for|on behalf of|representing) $", re.I)
#: "a memorandum between A and B on ...": an agreement named with its parties, the signing said elsewhere
_KIND_BETWEEN = re.compile(
    r"\b(?:agreement|memorandum|mou|contract|deal|lease)s? (?:of understanding )?(?:\w+ )?(?:between|with)\b", re.I
)
#: "..., and witnessed by A of X", "in the presence of A": the organizations named after it are no parties
_WITNESS_CLAUSE = re.compile(r"\b(?:witnessed by|in the presence of|attended by|present at the signing)\b", re.I)
_NOT_SIGNING = re.compile(
    r"attend|witness|\bwatch(?:ed|ing)\b|presided|presiding|observ|见证|出席(?!并)|主持|陪同|观摩|参加", re.I
)


@dataclass
class DraftAgreement:
    kind: str
    parties: list[str] = field(default_factory=list)
    signatories: list[dict] = field(default_factory=list)
    sentence: int = 0
    #: "signed investment agreements with ...", "分别与...签署": one agreement per counterpart, not one for all
    plural: bool = False
    #: parties taken from the sentence before, for want of two in the signing sentence
    borrowed: list[str] = field(default_factory=list)
    #: the kind guessed, for want of a kind word ("X and Y signed a deal"): a later sentence may name it
    unnamed: bool = False

    def as_dict(self) -> dict:
        return {"kind": self.kind, "parties": self.parties, "signatories": self.signatories}


def agreement_kind(sentence: str) -> str | None:
    for kind, pattern in _AGREEMENT_PATTERNS:
        if pattern.search(sentence):
            return kind
    return None


def find_agreements(
    sentence_list: list[Sentence], organizations, people, canonical, *, skip_before: int = 0
) -> list[DraftAgreement]:
    """One draft per signing sentence that names a kind of agreement; parties are the organizations it names
    (or, when it names fewer than two, those of the sentence before); signatories the people in it, or in a
    signing sentence nearby that names no agreement ("Li Qian and Zhang Wei signed on behalf of both sides").

    ``organizations`` are FoundOrganization mentions, ``people`` FoundPerson entries (with ``mentions``),
    ``canonical`` maps a mention's name to the name the JSON lists. Sentences starting before ``skip_before``
    (the headline) only repeat the story and are left out.
    """
    drafts: list[DraftAgreement] = []
    sentence_list = _signing_clauses(_with_lists(sentence_list))
    waiting: list = []  # signers seen before the agreement they signed is named
    # "A memorandum ... was also signed.": a kind waiting for its parties (the draft when one was begun with fewer)
    pending: tuple[str, int, DraftAgreement | None] | None = None
    listing = False  # under a "Signatories:" line, one "Kind - A (X) and B (Y)" line per agreement
    columns: dict[str, int] | None = None  # a pipe table's columns: which holds the agreement, the side, the signer
    for index, sentence in enumerate(sentence_list):
        if sentence.start < skip_before:
            continue
        if _SIGNATORIES_HEADER.fullmatch(sentence.text):
            listing = True
            continue
        if sentence.text.startswith("|"):
            # "| Agreement | Signed for | Signatory |" and its rows: one signer for one side of one agreement a row
            columns = _table_columns(sentence.text) or columns
            if columns and not _TABLE_RULE.match(sentence.text):
                _table_row(drafts, columns, sentence, people, organizations, canonical)
            continue
        columns = None
        line = _KIND_DASH.match(sentence.text) if listing else None
        listing = bool(line)
        if line:
            _signatories_line(drafts, agreement_kind(line.group("kind")), sentence, people, organizations, canonical)
            continue
        if pending and index - pending[1] <= 2 and _PARTIES_ARE.search(sentence.text):
            parties = list(dict.fromkeys(
                [*_names_in(organizations, sentence, canonical), *_referred_to(sentence, organizations, canonical)]
            ))  # fmt: skip
            if len(parties) >= 2:
                draft = pending[2] or DraftAgreement(pending[0], [], [], index)
                draft.parties = list(dict.fromkeys([*draft.parties, *parties]))
                if pending[2] is None:
                    drafts.append(draft)
                _add_signatories(draft, _signers_in(people, sentence), organizations, canonical, sentence)
                pending = None
                continue
        if not _SIGN_VERB.search(sentence.text) and not (drafts and _KIND_BETWEEN.search(sentence.text)):
            continue  # a story that told of a signing may list more agreements "between A and B" without the verb
        kind = agreement_kind(sentence.text)
        listed = _listed_kinds(sentence.text)  # "two agreements:\n- an investment agreement ...\n- a lease ..."
        kind = listed[0] if listed else kind
        unnamed = False
        if kind is None and not drafts and _GENERIC_AGREEMENT.search(sentence.text):
            kind, unnamed = _unnamed_kind(sentence_list, index), True
        signers = _signers_in(people, sentence)
        if not signers and index and _THE_TWO.match(sentence.text):
            signers = _people_of(people, sentence_list[index - 1])
        named = _names_in(organizations, sentence, canonical)
        repeated = bool(drafts) and set(named) <= set(drafts[-1].parties)
        if _attended_only(sentence.text):
            continue  # "Present at the signing were ...", "Zhao attended the signing ceremony": no signing of its own
        if kind is None and len(named) >= 2 and not repeated and _describes_signing(sentence.text):
            # "X and Y signed a deal", "X还与Y签约": a signing between named parties is an agreement, kind word or not
            kind, unnamed = _unnamed_kind(sentence_list, index), True
        if kind is None and drafts and signers and _ANOTHER_AGREEMENT.search(sentence.text):
            # "A second agreement, on equity investment, was signed by A and B": not the one before
            kind, unnamed = _unnamed_kind(sentence_list, index), True
        if kind is None:
            if drafts and signers:
                # "Both agreements were signed by A and B": every agreement of the last signing sentence
                last = (
                    [d for d in drafts if d.sentence == drafts[-1].sentence]
                    if _ALL_OF_THEM.search(sentence.text)
                    else []
                )
                for target in last or drafts[-1:]:
                    _add_signatories(target, signers, organizations, canonical, sentence)
                    _drop_borrowed(target)
            elif signers:
                waiting += signers
            continue
        parties = list(named)
        if len(parties) < 2:
            parties += [p for p in _referred_to(sentence, organizations, canonical) if p not in parties]
        if len(parties) < 2 and index and sentence_list[index - 1].start >= skip_before:
            previous = _names_in(organizations, sentence_list[index - 1], canonical)
            borrowed = [p for p in previous if p not in parties]
            parties += borrowed
        else:
            borrowed = []
        same = next((d for d in drafts if d.kind == kind and _same_parties(d.parties, parties)), None)
        if same is None and not unnamed and len(named) >= 2:
            # "A (right) and B (left) after signing the agreement. X and Y signed a strategic cooperation agreement":
            # the kind said now is the one guessed before
            same = next(
                (d for d in drafts if d.unnamed and len(d.parties) >= 2 and _same_parties(d.parties, named)), None
            )
            if same:
                same.kind, same.unnamed = kind, False
        if same:
            same.parties += [p for p in parties if p not in same.parties]
        draft = same or DraftAgreement(kind, parties, [], index, _plural(sentence.text), unnamed=unnamed)
        if not same and (parties or signers or waiting):
            drafts.append(draft)
            draft.borrowed = borrowed
            pending = (kind, index, draft) if len(parties) < 2 and not (signers or waiting) else None
        elif not same:
            pending = (kind, index, None)
        _add_signatories(draft, waiting + signers, organizations, canonical, sentence)
        _drop_borrowed(draft)
        if draft in drafts:
            for other in listed[1:]:
                extra = DraftAgreement(other, list(draft.parties), [], index)
                drafts.append(extra)
                _add_signatories(extra, waiting + signers, organizations, canonical, sentence)
        waiting = []
    if drafts and "Q:" in "".join(s.text[:2] for s in sentence_list):
        _answered_signers(drafts[-1], sentence_list, people, organizations, canonical)
    # "14家国有企业与区政府签署合作协议": a counted, unnamed counterpart is no party, and no agreement to list
    kept = [d for d in drafts if len(d.parties) >= 2 or not _COUNTED.search(sentence_list[d.sentence].text)]
    # "Three agreements were signed at the fair, the committee said." before the agreements are listed one by one:
    # a summary with no kind word, one party and no signer is none of its own
    kept = [d for d in kept if not _summary_only(d, kept)]
    return [one for draft in kept for one in _per_counterpart(draft)]


#: an interview's question on the signing, its answer, and who was interviewed ("We spoke to chief executive A")
_ASKED_WHO_SIGNED = re.compile(r"Q\s*:.*\bwho signed\b", re.I)
_ANSWER_SIGNERS = re.compile(r"\bI signed\b|\b(?:it|that) was\b|\bsigned\b", re.I)
_INTERVIEWED = re.compile(r"\b(?:spoke to|spoke with|talked to|talked with|interviewed|asked)\b", re.I)


def _answered_signers(draft: DraftAgreement, sentence_list: list[Sentence], people, organizations, canonical) -> None:
    """ "Q: Who signed the agreement? A: I signed it on behalf of our board. On the Chinese side it was Mrs. A": in an
    interview's answer, "I" is the person interviewed, and a name said as the one who signed is a signer."""
    asked = next((i for i, s in enumerate(sentence_list) if _ASKED_WHO_SIGNED.match(s.text)), None)
    if asked is None:
        return
    interviewee = None
    for sentence in sentence_list[:asked]:
        said = _INTERVIEWED.search(sentence.text)
        if said:
            at = sentence.start + said.end()
            named = [(m, p) for p in people for m in p.mentions if at <= m < sentence.end]
            interviewee = min(named, key=lambda pair: pair[0])[1] if named else interviewee
    signers = []
    for sentence in sentence_list[asked + 1 :]:
        if sentence.text.startswith("Q"):
            break
        found = _ANSWER_SIGNERS.search(sentence.text)
        if not found or _attended_only(sentence.text):
            continue
        if found.group().startswith("I ") and interviewee is not None:
            signers.append(interviewee)
        signers += [p for p in people if any(sentence.start + found.start() <= m < sentence.end for m in p.mentions)]
    if signers:
        _add_signatories(draft, list({id(p): p for p in signers}.values()), organizations, canonical)


def _summary_only(draft: DraftAgreement, drafts: list[DraftAgreement]) -> bool:
    return (
        draft.unnamed
        and len(draft.parties) < 2
        and not draft.signatories
        and any(other is not draft and len(other.parties) >= 2 for other in drafts)
    )


_ANOTHER_AGREEMENT = re.compile(
    r"\b(?:a|the) (?:second|third|fourth|fifth|further|separate) (?:agreement|contract|deal)\b|"
    r"\banother (?:agreement|contract|deal)\b",
    re.I,
)


_SIGNATORIES_HEADER = re.compile(r"(?:Signatories|Signers|Signed by|Signing)\s*:", re.I)
#: "Project agreement - Hu Jie (Bio-Town Committee) and Richard J. Bell (Aldermoor)"
_KIND_DASH = re.compile(
    r"(?P<kind>[A-Z][\w -]{0,60}?(?:agreement|contract|memorandum|MoU|deal|lease)s?)\s*(?:-|–|—|:)\s+\S", re.I
)


def _signatories_line(drafts, kind, sentence: Sentence, people, organizations, canonical) -> None:
    """The signers a "Signatories:" list gives one agreement, each with whom they signed for in brackets: added to
    the agreement of that kind whose parties they are (a new one when none is)."""
    signers = [p for p in people if any(sentence.start <= m < sentence.end for m in p.mentions)]
    if not kind or not signers:
        return
    sides = [_said_behalf(p, sentence, [], organizations, canonical, anywhere=True) for p in signers]
    sides = [side for side in sides if side]
    target = next((d for d in drafts if d.kind == kind and sides and set(sides) <= set(d.parties)), None)
    if target is None:
        target = DraftAgreement(kind, list(dict.fromkeys(sides)), [], 0)
        drafts.append(target)
    elif len(sides) >= 2:
        target.parties = [p for p in target.parties if p in sides] + [p for p in sides if p not in target.parties]
    _add_signatories(target, signers, organizations, canonical, sentence)


_TABLE_HEADS = {
    "kind": re.compile(r"agreement|document|contract|mou|deal", re.I),
    "side": re.compile(r"signed for|on behalf of|for whom|party|parties|side|organi[sz]ation|company", re.I),
    "signer": re.compile(r"signator(?:y|ies)|signed by|signer|signing|name|representative", re.I),
}
_TABLE_RULE = re.compile(r"^\|[\s|:\-]+$")


def _table_columns(line: str) -> dict[str, int] | None:
    """The header of a pipe table of signers: the column of each of the agreement, the side and the signer (None when
    the line is no such header)."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        for role in ("side", "signer", "kind"):  # "Signed for" before "signed by"; a side before a kind
            if role not in columns and len(cell) <= 30 and _TABLE_HEADS[role].search(cell):
                columns[role] = index
                break
    return columns if "side" in columns and "signer" in columns else None


def _table_row(drafts, columns: dict[str, int], sentence: Sentence, people, organizations, canonical) -> None:
    """One row of a signers' table: its signer signed for its side, in the agreement of its kind (the last one when
    the table has no such column) that has that side, else the first of that kind, else a new one."""
    line = sentence.text
    bars = [i for i, c in enumerate(line) if c == "|"]
    cells = [(bars[i] + 1, bars[i + 1]) for i in range(len(bars) - 1)]
    if len(cells) <= max(columns.values()):
        return
    side_start, side_end = cells[columns["side"]]
    side = _resolve_phrase(line[side_start:side_end].strip(), organizations, canonical, sentence.start + side_start)
    signer_start, signer_end = cells[columns["signer"]]
    signer = next(
        (
            p
            for p in people
            if any(sentence.start + signer_start <= m < sentence.start + signer_end for m in p.mentions)
        ),
        None,
    )
    if side is None or signer is None:
        return
    kind = None
    if "kind" in columns:
        kind_start, kind_end = cells[columns["kind"]]
        cell = line[kind_start:kind_end].strip()
        kind = agreement_kind(cell) or agreement_kind(cell + " agreement")
    kind = kind or (drafts[-1].kind if drafts else None)
    if kind is None:
        return
    of_kind = [d for d in drafts if d.kind == kind]
    target = next((d for d in of_kind if side in d.parties), of_kind[0] if of_kind else None)
    if target is None:
        target = DraftAgreement(kind, [], [], 0)
        drafts.append(target)
    if side not in target.parties:
        target.parties.append(side)
    if all(s["person"] != signer.name for s in target.signatories):
        target.signatories.append({"person": signer.name, "on_behalf_of": side})


#: "Present at the ceremony were A, ... and B, .... The two signed the agreement": the two people just named
_THE_TWO = re.compile(
    r"(?:the two|both|the pair|they)(?: (?:men|women|officials|executives|leaders|representatives))? "
    r"(?:then |later |also )?(?:signed|inked|put pen to paper|sealed)\b",
    re.I,
)


def _people_of(people, sentence: Sentence) -> list:
    """The two people a sentence names (none when it names more or fewer)."""
    named = [p for p in people if any(sentence.start <= m < sentence.end for m in p.mentions)]
    return named if len(named) == 2 else []


_BULLET = re.compile(r"^[-•*▪·–]\s")
#: "Both agreements were signed by ...", "The three contracts were signed by ..."
_ALL_OF_THEM = re.compile(
    r"\b(?:both|all(?: the| three| four| five)?|the (?:two|three|four|five)|these) (?:agreements|contracts|deals|documents|memoranda)\b",
    re.I,
)


def _with_lists(sentence_list: list[Sentence]) -> list[Sentence]:
    """A line that ends in a colon and the bulleted lines after it, as one sentence: "Signing parties:\n- X\n- Y",
    "Signatories:\n- Mr. A, President, X", "... entered into two agreements with Y:\n- an investment agreement ..."."""
    merged: list[Sentence] = []
    index = 0
    while index < len(sentence_list):
        first = sentence_list[index]
        end = index + 1
        if first.text.endswith(":"):
            while end < len(sentence_list) and _BULLET.match(sentence_list[end].text):
                end += 1
        elif _NUMBERED_AGREEMENT.match(first.text):
            while end < len(sentence_list) and _BLOCK_LABEL.match(sentence_list[end].text):
                end += 1
        parts = sentence_list[index:end]
        text = parts[0].text
        for before, after in zip(parts, parts[1:], strict=False):
            text += "\n" * (after.start - before.end) + after.text
        merged.append(Sentence(first.start, parts[-1].end, text) if len(parts) > 1 else first)
        index = end
    return merged


#: "...; the city and Y signed a strategic cooperation agreement ...; and Z signed a lease with W", "A and B signed the
#: investment agreement, while C and D signed the accompanying lease": where one sentence tells of several signings
_CLAUSE_BREAK = re.compile(r";\s+(?:and\s+)?|,\s+while\s+")


def _signing_clauses(sentence_list: list[Sentence]) -> list[Sentence]:
    """A sentence of several signing clauses, each with its signing verb and its own kind of agreement, as one sentence
    per clause (parties and signers are then read clause by clause)."""
    split: list[Sentence] = []
    for sentence in sentence_list:
        text = sentence.text
        if ("; " not in text and ", while " not in text) or "\n" in text:
            split.append(sentence)
            continue
        cuts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(text)), len(text) + 2]
        parts = [(cuts[i], text[cuts[i] : cuts[i + 1]].rstrip("; ,")) for i in range(len(cuts) - 1)]
        if len(parts) < 2 or not all(_SIGN_VERB.search(part) and agreement_kind(part) for _at, part in parts):
            split.append(sentence)
            continue
        for at, part in parts:
            split.append(Sentence(sentence.start + at, sentence.start + at + len(part), part))
    return split


#: "Agreement 2: Lease agreement" heading a block of labelled lines ("Parties: A; B", "Signing: C for A; D for B")
_NUMBERED_AGREEMENT = re.compile(
    r"(?:Agreement|Contract|Deal|Project|MoU|Memorandum) (?:No\. ?)?\d{1,2}\s*[:.]\s*\S", re.I
)
_BLOCK_LABEL = re.compile(r"(?:Parties|Signing|Signed by|Signatories|Signers|Signed)\s*:", re.I)


def _listed_kinds(text: str) -> list[str]:
    """The kinds of agreement a bulleted list names, one per line, in order (none for a sentence with no list)."""
    kinds = [agreement_kind(line) for line in text.split("\n")[1:] if _BULLET.match(line)]
    return list(dict.fromkeys(k for k in kinds if k))


#: "The parties to the agreement are A, B and C", "The signing parties were A and B"
_PARTIES_ARE = re.compile(
    r"\b(?:the )?(?:(?:signing )?parties (?:to|of) the (?:agreement|memorandum|mou|deal|contract)s?|signing parties|"
    r"signatories(?: to the (?:agreement|memorandum|mou|deal|contract)s?)?) (?:are|were|include[sd]?)\b|"
    r"^(?:the )?(?:signing )?parties\s*:|^the (?:(?:two|three|four) )?parties (?:are|were)\b",
    re.I,
)
#: "A and B signed on behalf of X and Y respectively": each signer's side, not one agreement per counterpart
_RESPECTIVE_SIGNERS = re.compile(
    r"\b(?:on behalf of|for|representing) [^;.]+?,? respectively\b|\bby [^;.]+?,? respectively\b|分别代表", re.I
)


def _plural(text: str) -> bool:
    """Several agreements in one sentence ("signed agreements with A, B and C", "分别与…签署"), not signers who each
    stand for their own side ("signed by A and B on behalf of X and Y respectively")."""
    return bool(_PLURAL.search(_RESPECTIVE_SIGNERS.sub(" ", text)))


_ATTENDED = re.compile(
    r"\b(?:present at|attend(?:ed|ing)?|witness(?:ed|ing)?|observ(?:ed|ing)|at) the (?:[\w-]+ )?$", re.I
)


def _attended_only(text: str) -> bool:
    """Every signing word of an English sentence is the thing attended: "Present at the signing were ..."."""
    said = list(_SIGN_VERB.finditer(text))
    return bool(said) and all(_ATTENDED.search(text[max(0, m.start() - 40) : m.start()]) for m in said)


_COUNTED = re.compile(
    r"\d+\s*家[\u4e00-\u9fff]{0,6}(?:企业|公司|单位)与|"
    r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|dozens of)\s+(?:[\w-]+\s+){0,2}"
    r"(?:enterprises|companies|firms|investors)\s+signed\s+with\b|"
    r"\b(?:agreements|contracts|deals)\s+(?:for|on|covering)\s+(?:\d+|[a-z]+)\s+(?:[\w-]+\s+)?projects\b",
    re.I,
)


def _per_counterpart(draft: DraftAgreement) -> list[DraftAgreement]:
    """A plural signing ("X signed investment agreements with A, B and C") as one agreement per counterpart,
    each with the common party's signers and the counterpart's own."""
    if not draft.plural or len(draft.parties) < 3:
        return [draft]
    common, others = draft.parties[0], draft.parties[1:]
    return [
        DraftAgreement(
            draft.kind,
            [common, other],
            [s for s in draft.signatories if s["on_behalf_of"] in (common, other)],
            draft.sentence,
        )
        for other in others
    ]


_CEREMONY = re.compile(r"signing ceremon(?:y|ies)|签约(?:仪式|活动|现场|大会)", re.I)


def _describes_signing(text: str) -> bool:
    """ "X and Y signed a deal", not "X and Y attended the signing ceremony" nor "both sides signed"."""
    if BOTH_SIDES.search(text) or _NOT_SIGNING.search(text):
        return False
    ceremony = _CEREMONY.search(text)
    if ceremony and _HELD.search(text, 0, ceremony.start()):
        return True
    if ceremony and _CEREMONY_BETWEEN_HELD.match(text, ceremony.end()):
        return True  # "The signing ceremony for cooperation between X and Y was held": they are the ones who signed  # "X与Y举行…签约仪式", "X and Y held a signing ceremony": they are the ones who signed
    return bool(_SIGN_VERB.search(_CEREMONY.sub("", text)))


_HELD = re.compile(r"\bh(?:eld|old|olds)\b|举行|举办", re.I)
_CEREMONY_BETWEEN_HELD = re.compile(r"[^.;]{0,40}?\bbetween\b[^.;]+?\b(?:was|were) held\b", re.I)


_INVESTMENT_CLUE = re.compile(
    r"\binvest|\bproject\b|\bplant\b|\bfactory\b|\b(?:manufacturing|production) base\b|投资|项目|基地|生产线|落户", re.I
)


def _unnamed_kind(sentence_list: list[Sentence], index: int) -> str:
    """The kind of an agreement the article names no kind of: investment when it or the next sentence speaks of
    investing or a project, else framework (a cooperation that is not called strategic)."""
    near = " ".join(s.text for s in sentence_list[index : index + 2])
    return "investment" if _INVESTMENT_CLUE.search(near) else "framework"


#: "signed for the Group", "on behalf of the district", "代表东滩集团": whom the signer stands for, said outright
_ON_BEHALF = re.compile(
    r"\b(?:signed |signing )?(?:for|on behalf of|representing) (?P<en>(?:the |its )?[\w'’&,.\- ]{2,80}?)"
    r"(?=[,.;]| and\b| while\b|$)|代表(?P<zh>[\u4e00-\u9fff（）()]{2,30}?)(?:签约|签署|签字|在协议|与|、|，|。)",
    re.I,
)


#: a clause that opens with whom its signer stood for: "Signing for X was ...", "; for Y, its chairman ..."
_BEHALF_OPENS = re.compile(
    r"\s*(?:(?:signing|signed)(?: the (?:agreement|deal|contract|memorandum|mou|document))? )?(?:for|on behalf of) "
    r"(?P<en>(?:the |its )?[\w'’&.\- ]{2,60}?)(?:,| was| were)\s",
    re.I,
)


def _said_behalf(
    person,
    sentence: Sentence | None,
    parties: list[str],
    organizations,
    canonical,
    *,
    anywhere: bool = False,
    others: tuple[int, ...] = (),
) -> str | None:
    """The party a sentence says the person signed for ("Wen Bo ... signed for the Group", "Hu Jie (Bio-Town
    Committee)" in a list of signatories); ``anywhere``: any organization of the article, not only a party."""
    if sentence is None:
        return None
    for start in person.mentions:
        if not sentence.start <= start < sentence.end:
            continue
        offset = start - sentence.start
        bracket = _SIDE_IN_BRACKETS.match(sentence.text, offset + len(person.name))
        if bracket and (anywhere or _SIGNATORIES_HEADER.match(sentence.text) or _KIND_DASH.match(sentence.text)):
            resolved = _resolve_phrase(bracket.group("side"), organizations, canonical, start)
            if resolved and (anywhere or resolved in parties):
                return resolved
        clause = sentence.text[sentence.text.rfind(";", 0, offset) + 1 : offset]
        opening = _BEHALF_OPENS.match(clause)
        if (
            opening
            and not _SIGNED.search(clause, opening.end())
            and not re.search(r",\s*(?:while|whereas|and)\b", clause[opening.end() :])  # the next signer's clause
        ):  # not "On behalf of X, A signed with B"  # "Signing for the landlord was its manager, A; for Harlow, its chairman B": said before
            resolved = _resolve_phrase(opening.group("en").strip(), organizations, canonical, start)
            if resolved in parties:
                return resolved
        said_before = (
            _FOR_X_BY.search(sentence.text, 0, offset) if " by " in sentence.text[offset - 40 : offset] else None
        )
        if said_before:  # "signed by A and, for Hanlin, by chairman B"
            resolved = _resolve_phrase(said_before.group("en").strip(), organizations, canonical, start)
            if resolved in parties:
                return resolved
        after = sentence.text[offset:].split(";")[0]
        following = [at - start for at in others if at > start]
        if following:  # "A, deputy of X, and B, chairman of Y, representing Z": Z is B's, the next signer's
            after = after[: min(following)]
        own = _ON_OWN_BEHALF.match(after)
        if own and person.organization in parties and not _ON_BEHALF.search(after, 0, own.start("own")):
            return person.organization  # "A, deputy director of X, signed on its behalf, and B signed for Y"
        match = _ON_BEHALF.search(after)
        while match and match.group("en") and _POST_FOR.search(after, 0, match.start()):
            match = _ON_BEHALF.search(after, match.end())  # "vice-president for research": a remit, not a side
        if match and match.group("en") and re.match(r",? by\b", after[match.end() :]):
            match = None  # "A and, for Hanlin, by chairman B": Hanlin is B's
        if match and match.group("zh") and match.start() > len(person.name) + 2:
            return None  # "许安代表公司、宋佳代表区政府": the 代表 right after the name, not another's
        if not match or re.match(
            r"(?:the )?(?:both|two|three|all)\b|双方|三方|各方", match.group("en") or match.group("zh") or "", re.I
        ):
            return None
        phrase = (match.group("en") or match.group("zh") or "").strip()
        if _THEIR_OWN.match(phrase):  # "on behalf of their respective organisations": each their own
            return person.organization
        # "signed for the fund it manages": the fund, not the manager that employs the signer
        phrase = _MANAGED_BY_SIGNER.sub("", phrase)
        unit = _PLACE_UNIT.fullmatch(phrase)
        if unit:  # "on behalf of the Shanghai unit": the party named after that place, not the parent
            of_place = [p for p in parties if re.search(rf"\b{re.escape(unit.group('place'))}\b", p)]
            if len(of_place) == 1:
                return of_place[0]
        if _own_by_reference(person, phrase, parties, organizations, canonical):
            return person.organization  # "Mr Brandt, Orsolo's president, signed for the company": his own company
        resolved = _resolve_phrase(phrase, organizations, canonical, start)
        if resolved in parties:
            return resolved
    return None


def _own_by_reference(person, phrase: str, parties: list[str], organizations, canonical) -> bool:
    """ "signed for the company" said of a signer whose own organization is a party of that kind: their own, not
    the latest company named."""
    reference = REFERENCE_EN.fullmatch(phrase)
    if not reference or person.organization not in parties:
        return False
    kind, clue = REFERENCE_KINDS.get(reference.group("word").casefold(), ("", ""))
    own = next((o for o in organizations if canonical(o.name) == person.organization), None)
    return bool(kind) and own is not None and own.kind == kind and (not clue or bool(re.search(clue, own.name, re.I)))


_THEIR_OWN = re.compile(
    r"(?:their|his|her|its) (?:respective |own )+(?:organi[sz]ations?|compan(?:y|ies)|institutions?|firms?|sides?|"
    r"employers?|entities|entity)",
    re.I,
)
_MANAGED_BY_SIGNER = re.compile(r"\s+(?:it|she|he|they|which|that) (?:manages|runs|advises|operates)$", re.I)
_PLACE_UNIT = re.compile(r"(?:the|its|their) (?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:unit|subsidiary|arm|affiliate)")
_POST_FOR = re.compile(r"\b(?:president|director|officer|head|manager|secretary|chairman|partner|dean)\s*$", re.I)
_SIDE_IN_BRACKETS = re.compile(r" \((?P<side>[A-Z][^()]{1,60})\)")
_FOR_X_BY = re.compile(r"\b(?:for|on behalf of) (?P<en>(?:the |its )?[\w'’&.\- ]{2,60}?),? by (?:[\w.-]+ ){0,4}$", re.I)
_ON_OWN_BEHALF = re.compile(r"[^;]*?\bsign(?:ed|s|ing)? (?P<own>on (?:its|his|her|their) behalf)\b")


def _resolve_phrase(phrase: str, organizations, canonical, at: int) -> str | None:
    from parkos.intake.extraction.pipeline import resolve_organization

    reference = REFERENCE_EN.match(phrase) or REFERENCE_ZH.fullmatch(phrase)
    if reference:
        named = referred(reference.group("word"), organizations, at, chinese=bool(REFERENCE_ZH.fullmatch(phrase)))
        return canonical(named) if named else None
    listed = list({canonical(o.name): o for o in organizations}.values())
    name = resolve_organization(phrase, listed, loose=True)
    return canonical(name) if name else None


_RESPECTIVELY = re.compile(
    r"\b(?:on behalf of|for|representing) (?P<en>[^;.]+?),? respectively\b|分别代表(?P<zh>[^，。；]+?)(?:签约|签署|签字|在|，|。)",
    re.I,
)
_LIST_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+|和|与|及|、", re.I)


def _respective(signers, sentence, parties: list[str], organizations, canonical) -> dict[str, str]:
    """ "A and B signed on behalf of X and Y respectively", "A、B分别代表X和Y签约": the i-th signer for the i-th."""
    if sentence is None:
        return {}
    match = _RESPECTIVELY.search(sentence.text)
    if not match:
        return {}
    listed = match.group("en") or match.group("zh")
    at = sentence.start + match.start()
    sides = [_resolve_phrase(p.strip(), organizations, canonical, at) for p in _LIST_SPLIT.split(listed) if p.strip()]
    here = sorted(
        (next(m for m in p.mentions if sentence.start <= m < sentence.end), p.name)
        for p in signers
        if any(sentence.start <= m < sentence.end for m in p.mentions)
    )
    if len(sides) != len(here) or not all(sides):
        return {}
    return {name: side for (_at, name), side in zip(here, sides, strict=True)}


def _add_signatories(draft: DraftAgreement, signers, organizations, canonical, sentence=None) -> None:
    respective = _respective(signers, sentence, draft.parties, organizations, canonical)
    fresh = [p for p in signers if all(s["person"] != p.name for s in draft.signatories)]
    behalfs = {}
    stood_for: list[str] = []  # the own organizations of signers said to sign for another
    here = {
        p.name: tuple(m for m in p.mentions if sentence.start <= m < sentence.end) if sentence is not None else ()
        for p in fresh
    }
    for person in fresh:
        behalf = respective.get(person.name)
        others = tuple(m for p in fresh if p is not person for m in here[p.name])
        behalf = behalf or _said_behalf(person, sentence, draft.parties, organizations, canonical, others=others)
        if behalf and person.organization and behalf != person.organization:
            stood_for.append(person.organization)
        behalfs[person.name] = behalf or _party_of(person, draft.parties) or person.organization
    _the_other_side(fresh, behalfs, draft, sentence)
    _one_signer_per_side(fresh, behalfs, draft)
    for person in fresh:
        behalf = behalfs[person.name]
        if behalf and behalf not in draft.parties:
            draft.parties.append(behalf)  # a signer's organization is a party, named or not in the sentence
        draft.signatories.append({"person": person.name, "on_behalf_of": behalf})
    # "B, Chairman of X Group, representing Z LLC, the joint venture": the group nobody signed for is no party
    sides = {s["on_behalf_of"] for s in draft.signatories}
    for own in stood_for:
        if own in draft.parties and own not in sides and len(draft.parties) > 2:
            draft.parties.remove(own)


def _drop_borrowed(draft: DraftAgreement) -> None:
    """ "詹伟民与任凯签署合作协议" after a sentence about another company: when the signers stand for two parties, a
    party borrowed from the sentence before that nobody signed for is not one."""
    sides = {s["on_behalf_of"] for s in draft.signatories if s["on_behalf_of"]}
    unsigned = [p for p in draft.borrowed if p not in sides]
    if unsigned and len(sides) >= 2 and len(draft.parties) > 2:
        draft.parties = [p for p in draft.parties if p not in unsigned]


def _one_signer_per_side(fresh: list[Any], behalfs: dict[str, str | None], draft: DraftAgreement) -> None:
    """Two signers found for one side, one of them of that organization and the other of another: the other signed
    for their own organization ("Jiang Hua and Ke Wen, president of the bank's Suzhou branch": Jiang Hua, of the
    park company, is not the bank's signer because "Suzhou" is in both names)."""
    for person in fresh:
        side = behalfs[person.name]
        if side is None or person.organization in (None, side):
            continue
        taken = [p for p in fresh if p is not person and behalfs[p.name] == side and p.organization == side]
        taken += [s for s in draft.signatories if s["on_behalf_of"] == side]
        if taken:
            behalfs[person.name] = person.organization


def _the_other_side(fresh, behalfs: dict, draft: DraftAgreement, sentence) -> None:
    """Two signers of a two-party agreement: when one signed for one side, the other signed for the other; when
    neither is known and they signed "on behalf of both sides", in the order the parties were named."""
    if len(fresh) != 2 or len(draft.parties) != 2:
        return
    known = [p for p in fresh if behalfs[p.name] in draft.parties]
    unknown = [p for p in fresh if behalfs[p.name] is None]
    if len(known) == 1 and len(unknown) == 1:
        other = next(party for party in draft.parties if party != behalfs[known[0].name])
        behalfs[unknown[0].name] = other
    elif len(unknown) == 2 and sentence is not None and BOTH_SIDES.search(sentence.text):
        for person, party in zip(fresh, draft.parties, strict=True):
            behalfs[person.name] = party


_GENERIC = {
    "district", "city", "county", "province", "municipal", "people's", "government", "group", "co", "ltd", "co.,",
    "ltd.", "company", "corporation", "the", "of", "and", "committee", "cpc", "party", "secretary", "chairman",
    "president", "director", "general", "manager", "mayor", "deputy", "vice", "bank", "university", "china",
    "chinese", "limited", "inc", "holdings", "technology", "new", "park", "zone", "head", "chief",
}  # fmt: skip
_GENERIC_ZH = (
    "人民政府",
    "政府",
    "有限公司",
    "公司",
    "集团",
    "委员会",
    "区委",
    "市委",
    "书记",
    "董事长",
    "总经理",
    "中国",
    "无锡市",
    "苏州市",
)


def _party_of(person, parties: list[str]) -> str | None:
    """Which party a signer stands for: their own organization when it is a party, else the party whose name
    shares the most distinctive words with their organization and titles ("Party Secretary of Xinwu District"
    signs for the People's Government of Xinwu District; 华虹集团's chairman for 华虹半导体有限公司)."""
    if person.organization in parties:
        return person.organization
    clue = " ".join([person.organization or "", *person.titles])
    best, best_score = None, 0
    for party in parties:
        score = name_overlap(clue, party)
        if score > best_score:
            best, best_score = party, score
    return best


def name_overlap(clue: str, name: str) -> int:
    if re.search(r"[\u4e00-\u9fff]", name):
        for generic in _GENERIC_ZH:
            clue, name = clue.replace(generic, "|"), name.replace(generic, "|")
        longest = 0
        for size in range(2, min(len(clue), len(name)) + 1):
            if any(clue[i : i + size] in name and "|" not in clue[i : i + size] for i in range(len(clue) - size + 1)):
                longest = size
            else:
                break
        return longest
    tokens = {t for t in re.findall(r"[\w']+", clue.casefold()) if t not in _GENERIC}
    return len(tokens & {t for t in re.findall(r"[\w']+", name.casefold()) if t not in _GENERIC})


def _names_in(organizations, sentence: Sentence, canonical) -> list[str]:
    found = []
    witnesses = _WITNESS_CLAUSE.search(sentence.text)
    end = (
        sentence.start + witnesses.start()
        if witnesses and _SIGN_VERB.search(sentence.text, 0, witnesses.start())
        else sentence.end
    )
    watched = _WITNESSES_FIRST.match(sentence.text)
    begin = sentence.start + (watched.end() if watched and _SIGN_VERB.search(sentence.text, watched.end()) else 0)
    for organization in organizations:
        if begin <= organization.span[0] < end:
            if _PARENT_BEFORE.search(sentence.text, 0, organization.span[0] - sentence.start):
                continue  # "X, a subsidiary of Y": Y is named to say whose X is, not as a party
            at = organization.span[0] - sentence.start
            if _IN_APPOSITION.search(sentence.text, max(0, at - 60), at) or (
                _PARENT_OF_UNIT.match(sentence.text, organization.span[1] - sentence.start)
                and re.search(r",\s+an?\s+$", sentence.text[max(0, at - 6) : at])
            ):
                continue  # "X, the joint venture N and H are setting up,", "Y Co., Ltd., a Nangang subsidiary,"
            if _PERSON_FROM.search(
                sentence.text, max(0, organization.span[0] - sentence.start - 60), organization.span[0] - sentence.start
            ):
                continue  # "Li Na from the X Center signed on behalf of Y": where the signer works, not whom for
            found.append((organization.span[0], canonical(organization.name)))
    found += _bare_short_forms(organizations, sentence, canonical)
    announced = _ANNOUNCED_THAT.search(sentence.text)
    signed = _SIGN_VERB.search(sentence.text, announced.end()) if announced else None
    if announced and signed:
        at = sentence.start + announced.start()
        after = {name for start, name in found if start >= at}
        if len(after) >= 2:
            found = [(start, name) for start, name in found if start >= at or name in after]
    return list(dict.fromkeys(name for _at, name in sorted(found)))


_PARENT_BEFORE = re.compile(
    r",\s+(?:a|an|the)\s+(?:wholly[ -]owned\s+|[\w-]+\s+)?(?:subsidiary|unit|affiliate|division|arm)\s+of\s+"
    r"(?:(?:[A-Z][\w-]* )?[A-Z][\w-]*-(?:based|listed|headquartered)\s+|the\s+|[A-Z][\w-]*(?: [A-Z][\w-]*)?['’]s\s+)?$",
    re.I,
)
#: ", who will be the joint venture's general manager,": what the signer is, not whether they signed
_WHO_CLAUSE = re.compile(r", who [^,]*,")
#: "X, the joint venture Nangang and Hydrolis are setting up, and Y": names inside a description of the party before
_IN_APPOSITION = re.compile(
    r",\s+(?:a|an|the)\s+(?:(?!(?:between|with|and|of|for|to)\b)[\w-]+\s+){1,3}(?:[A-Z][\w-]*\s+and\s+)?$"
)
_PARENT_OF_UNIT = re.compile(r"\s+(?:subsidiary|unit|affiliate)\b")
_PERSON_FROM = re.compile(r"\b[A-Z][a-z]+(?: [A-Z]\.)?(?: [A-Z][\w-]+){1,2} (?:from|at) (?:the )?$")
_ANNOUNCED_THAT = re.compile(
    r"\b(?:said|says|announced|announces|reported|reports|disclosed|confirmed)\b(?: [\w,]+){0,4}? that\b", re.I
)


def _bare_short_forms(organizations, sentence: Sentence, canonical) -> list[tuple[int, str]]:
    """ "Norvale and Qingpu Industrial Park signed ...": an English organization named before in full, written by its
    distinctive word alone (a word no other organization of the article has)."""
    named = {canonical(o.name) for o in organizations if o.span[0] < sentence.end}
    if not named or re.search(r"[\u4e00-\u9fff]", sentence.text):
        return []
    owners: dict[str, set[str]] = {}
    for name in named:
        for word in distinctive_en(name):
            owners.setdefault(word, set()).add(name)
    spans = [o.span for o in organizations if sentence.start <= o.span[0] < sentence.end]
    found = []
    for match in re.finditer(r"\b[A-Z][\w\-]+\b", sentence.text):
        at = sentence.start + match.start()
        names = owners.get(match.group().casefold(), set())
        if len(names) == 1 and not any(s <= at < e for s, e in spans):
            if _IN_APPOSITION.search(sentence.text, max(0, match.start() - 60), match.start()):
                continue  # "X, the joint venture Nangang and Hydrolis are setting up": who set X up, no party
            found.append((at, next(iter(names))))
    return found


_THE_GOVERNMENT = re.compile(
    r"\bthe (?:district|city|county|municipal|provincial|local)(?: (?:government|authorities))?\b", re.I
)
_GOVERNMENT_FORM_ZH = re.compile(r"(?:人民政府|政府|管理委员会|管委会)$")


def _referred_to(sentence: Sentence, organizations, canonical) -> list[str]:
    """Parties the sentence names without their full name: "the district signed ..." is the district's
    government; "浦东新区还与…签署" is 上海市浦东新区人民政府."""
    governments = [o for o in organizations if o.kind == "government" and o.span[0] < sentence.end]
    found = []
    said = _THE_GOVERNMENT.search(sentence.text)
    if said:
        level = said.group().split()[1].casefold()  # "district", "city", ...
        proper = [o for o in governments if re.search(r"government", o.name, re.I)]
        named = [o for o in proper if level in o.name.casefold()] or proper
        if named:
            found.append(canonical(named[0].name))
    for reference in [*REFERENCE_EN.finditer(sentence.text), *REFERENCE_ZH.finditer(sentence.text)]:
        chinese = reference.re is REFERENCE_ZH
        if not chinese and reference.group("word").casefold() in ("district", "city", "county"):
            continue  # said above, with the level
        named = referred(reference.group("word"), organizations, sentence.start + reference.start(), chinese=chinese)
        if named:
            found.append(canonical(named))
    for organization in governments:
        core = _GOVERNMENT_FORM_ZH.sub("", organization.name)
        core = re.sub(r"^[\u4e00-\u9fff]{2,3}[省市](?=[\u4e00-\u9fff]{2})", "", core)
        if len(core) >= 2 and core != organization.name and core in sentence.text:
            found.append(canonical(organization.name))
    return list(dict.fromkeys(found))


def _same_parties(first: list[str], second: list[str]) -> bool:
    a, b = set(first), set(second)
    return a == b or (bool(a) and bool(b) and (a <= b or b <= a or len(a & b) >= 2))


#: a sentence opening with its witnesses: "Witnessed by A and B, C and D signed ..." (up to the first comma)
_WITNESSES_FIRST = re.compile(
    r"(?:[^\n]{0,60}?(?:--|—)\s*|[^,]{0,40}?,\s*)?(?:Witnessed by|In the presence of)\b[^,]*", re.I
)


def _signers_in(people, sentence: Sentence) -> list[Any]:
    """People of the sentence who sign: "X and Y signed ...", "signed by X and Y"; not "X witnessed the signing"."""
    signers = []
    text = sentence.text
    witnesses = _WITNESSES_FIRST.match(text)
    for person in people:
        for start in person.mentions:
            if not sentence.start <= start < sentence.end:
                continue
            offset = start - sentence.start
            if witnesses and offset < witnesses.end():
                continue  # "Witnessed by A and B, C and D signed": A and B watched
            if _FOR_BEFORE.search(text, max(0, offset - 20), offset) or _POSSESSIVE.match(text, offset):
                # "who inked the deal on behalf of Verhoeven", "Verhoeven's chief financial officer": the company, not a
                # person of that name
                continue
            after = _SIGNED.search(text, offset)
            before = [m for m in _SIGNED_BY.finditer(text, 0, offset)]
            if (
                after
                and not _NOT_SIGNING.search(text, offset, after.start())
                and not _NOT_YET.search(_WHO_CLAUSE.sub(",", text[offset : after.start() + 1]))
                and not _SPOKE_ZH.search(text, offset, after.start())
            ):
                signers.append(person)
                break
            if (
                before
                and not _NOT_SIGNING.search(text, before[-1].end(), offset)
                and not _WITNESS_CLAUSE.search(text, before[-1].end(), offset)
            ):
                signers.append(person)
                break
            # "Arjun Mehta signed the agreement with Wen Hao": the counterpart's signer
            signed_before = list(_SIGNED.finditer(text, 0, offset))
            if signed_before and _SIGNED_WITH.search(text[signed_before[-1].end() : offset]):
                signers.append(person)
                break
            # "A signed for the city and chairman B for Harlow": the verb said once for both
            if signed_before and _GAPPED_FOR.match(text, offset + len(person.name)):
                signers.append(person)
                break
    return signers
