"""Agreements: MoUs, arrangements, mutual recognition, agreed minutes, and the mechanisms
agencies set up (notification systems, contact points, hotlines)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc

from cckg.ingest.extract.context import Context, Sentence
from cckg.ingest.extract.knowledge import Knowledge, derived
from cckg.ingest.extract.nlp import has_phrase, longest, matchers, phrase
from cckg.model import Agreement, Event

_PLAN = "cooperation-plan"  # the agreement kind of co-operation plans (ontology/vocabularies.ttl)


@dataclass(frozen=True)
class _AgreementRules:
    """The word sets the agreement rules use, built from the knowledge once."""

    definite: frozenset[str]
    articles: frozenset[str]
    complement_stops: frozenset[str]
    complements: frozenset[str]
    links: frozenset[str]
    trailing: frozenset[str]
    mechanism_stops: frozenset[str]  # with the definite words
    mechanism_skip: frozenset[str]
    purpose: frozenset[str]
    mechanisms: frozenset[str]
    subject_prepositions: frozenset[str]
    months: frozenset[str]  # month names and abbreviations, lower case
    labels: frozenset[str]  # every label of every agreement kind, in lower case


@derived
def _rules(kb: Knowledge) -> _AgreementRules:
    words = kb.agreement_words
    definite = frozenset(words.definite_words)
    return _AgreementRules(
        definite=definite,
        articles=frozenset(words.agreement_articles),
        complement_stops=frozenset(words.agreement_name_stops),
        complements=frozenset(words.agreement_complements),
        links=frozenset(words.agreement_name_links),
        trailing=frozenset(words.agreement_name_trailing),
        mechanism_stops=definite | frozenset(words.mechanism_name_stops),
        mechanism_skip=frozenset(words.mechanism_skip_words),
        purpose=frozenset(words.mechanism_purpose_words),
        mechanisms=frozenset(m.lower() for m in words.mechanism_heads),
        subject_prepositions=frozenset(words.subject_prepositions),
        months=frozenset(m.lower() for m in [*kb.date_words.months, *kb.date_words.month_abbreviations]),
        labels=frozenset(label.lower() for labels in kb.agreement_labels.values() for label in labels),
    )


@dataclass
class _AgreementMention:
    kind: str
    mechanism: bool
    tokens: list  # the name's tokens
    start: int  # character offsets of the whole name
    end: int
    plural: bool = False  # "co-operative arrangements with A and B": one agreement per counterpart


def _agreement_mentions(doc: Doc, ctx: Context) -> list[_AgreementMention]:
    """Agreement-kind labels and set-up mechanisms, with their names, none inside another's name."""
    rules = _rules(ctx.kb)
    built = matchers(ctx.kb)
    found = [(doc.vocab.strings[i], s, e) for i, s, e in built.agreement(doc)]
    found += [(doc.vocab.strings[i], s, e) for i, s, e in built.agreement_exact(doc)]
    found += [("other", s, e) for _, s, e in built.mechanism(doc)]
    if not found:
        return []
    kinds = {(s, e): k for k, s, e in found}
    marks = _Marks.of(ctx)
    mentions: list[_AgreementMention] = []
    for _, start, end in sorted(longest([(0, s, e) for _, s, e in found]), key=lambda m: m[1]):
        span = doc[start:end]
        if ctx.masked(span.start_char) or (mentions and span.start_char < mentions[-1].end):
            continue
        mechanism = kinds[(start, end)] == "other" and span.text.lower() in rules.mechanisms
        if mentions and re.fullmatch(r"\s*\(", ctx.content[mentions[-1].end : span.start_char]):
            continue  # "(MRA)": the acronym of the agreement just named
        if mentions and re.fullmatch(
            r"(?:\s*\([^()]{1,12}\))*\s*", ctx.content[mentions[-1].end : span.start_char]
        ):
            # "Mutual Recognition Arrangement (MRA) Action Plan": one agreement, named by its head.
            previous = mentions.pop()
            tokens = [*previous.tokens, *doc[previous.tokens[-1].i + 1 : end]]
            tokens = _agreement_name(doc, tokens[0].i, end, mechanism, rules, marks)
            mentions.append(
                _AgreementMention(
                    kinds[(start, end)],
                    mechanism,
                    tokens,
                    tokens[0].idx,
                    tokens[-1].idx + len(tokens[-1].text),
                )
            )
            continue
        tokens = _agreement_name(doc, start, end, mechanism, rules, marks)
        label = doc[start:end].text.lower().split()
        plural = not mechanism and any(
            w.endswith("s") and " ".join([*label[:i], w[:-1], *label[i + 1 :]]) in rules.labels
            for i, w in enumerate(label)
        )
        mentions.append(
            _AgreementMention(
                kinds[(start, end)],
                mechanism,
                tokens,
                tokens[0].idx,
                tokens[-1].idx + len(tokens[-1].text),
                plural,
            )
        )
    return mentions


def find_agreements(doc: Doc, ctx: Context, events: list[Event]) -> list[Agreement]:
    words = ctx.kb.agreement_words
    rules = _rules(ctx.kb)
    agreements: list[Agreement] = []
    main_event = next((e for e in events if e.status == "held"), None)
    mentions = _agreement_mentions(doc, ctx)
    plurals: list[Agreement] = []
    labelled_sentences = {ctx.sentence(m.start).start for m in mentions if not m.mechanism}
    for mention in mentions:
        sent = ctx.sentence(mention.start)
        name = phrase(mention.tokens)
        if mention.mechanism:
            # A mechanism is an agreement of its own only when set up outside a named agreement.
            if not has_phrase(sent.text, words.establish_cues + words.agreement_cues):
                continue
            if sent.start in labelled_sentences or (
                agreements and has_phrase(sent.text, words.under_agreement_cues)
            ):
                continue
        if has_phrase(sent.text, words.agreement_not_made_cues):
            continue
        if not mention.mechanism and name[:1].islower():
            before = ctx.content[max(sent.start_char, mention.start - 20) : mention.start].split()
            if before and before[-1].lower() in rules.subject_prepositions:
                continue  # "an MoU for mutual administrative assistance": what the MoU is about
        same = _earlier_agreement(doc, ctx, agreements, mention, name, sent)
        if same is not None:
            _date_from_signing(same, sent, ctx)
            if len(name.split()) > len(same.name.split()) and (
                mention.mechanism or _is_bare_label(same.name, rules)
            ):
                same.name = name
            for party in ctx.agencies_in(sent.start_char, sent.end_char, with_people=True):
                if party not in same.parties:
                    same.parties.append(party)
            same.evidence.append(ctx.evidence(sent.start_char, sent.end_char))
            continue
        agreements.append(_new_agreement(mention, name, sent, ctx, main_event))
        if mention.plural:
            plurals.append(agreements[-1])
    agreements = _one_per_counterpart(agreements, plurals, ctx, rules)
    for agreement in agreements:
        # "signed between the two places": the parties are those of the main event.
        if len(agreement.parties) < 2 and main_event:
            agreement.parties += [p for p in main_event.participants if p not in agreement.parties]
    # A plan no agency is party to is a national or regional programme, not an agreement.
    return [a for a in agreements if a.parties or a.kind != _PLAN]


def _earlier_agreement(
    doc: Doc, ctx: Context, agreements: list[Agreement], mention: _AgreementMention, name: str, sent: Sentence
) -> Agreement | None:
    """The agreement named before that ``mention`` speaks of again, if any: the same name, a bare
    label ("the MoU"), a reference back ("the aforementioned arrangement"), or the same parties."""
    rules = _rules(ctx.kb)
    same = next((a for a in agreements if _same_agreement(a, name, mention, rules)), None)
    if same is not None or mention.mechanism or not agreements or mention.plural:
        return same
    first = doc.char_span(mention.start, mention.end, alignment_mode="expand")[0]
    previous = first.nbor(-1).lower_ if first.i > 0 else ""
    same_kind = [a for a in agreements if a.kind == mention.kind]
    if same_kind and (_is_bare_label(name, rules) or _is_bare_label(same_kind[-1].name, rules)):
        return same_kind[-1]
    if (
        previous in rules.definite
        and (same_kind or name[:1].islower())
        and not any(w.lower() in rules.links for w in name.split())
    ):
        # "the aforementioned co-operative arrangement": the agreement just named.
        return (same_kind or agreements)[-1]
    if (
        same_kind
        and (same_kind[-1].parties or len(same_kind) == 1)
        and _same_parties(same_kind[-1], sent, ctx)
    ):
        # "signed an MoU on customs ... The MoU on training ...": one MoU, told twice.
        return same_kind[-1]
    return None


def _one_per_counterpart(
    agreements: list[Agreement], plurals: list[Agreement], ctx: Context, rules: _AgreementRules
) -> list[Agreement]:
    """ "signed co-operative arrangements with A and B": one agreement with each counterpart named
    that no other agreement of the kind binds already, its name in the singular; none when no
    counterpart is named ("CCAs with 18 counterparts")."""
    kept: list[Agreement] = []
    for agreement in agreements:
        if not any(agreement is p for p in plurals):
            kept.append(agreement)
            continue
        publisher = next((p for p in ctx.publisher() if p in agreement.parties), None)
        own = publisher or (agreement.parties[0] if agreement.parties else None)
        bound = {p for a in agreements if a.kind == agreement.kind and a is not agreement for p in a.parties}
        singular = _singular(agreement.name, rules)
        for counterpart in [p for p in agreement.parties if p != own and p not in bound]:
            kept.append(
                Agreement(
                    kind=agreement.kind,
                    name=singular,
                    date=agreement.date,
                    parties=[own, counterpart] if own else [counterpart],
                    signatories=list(agreement.signatories),
                    topics=list(agreement.topics),
                    evidence=list(agreement.evidence),
                    confidence=agreement.confidence,
                )
            )
    return kept


def _singular(name: str, rules: _AgreementRules) -> str:
    """ "co-operative arrangements" -> "co-operative arrangement", "MoUs" -> "MoU"."""
    words = name.split()
    for i, word in enumerate(words):
        if word.endswith("s"):
            candidate = [*words[:i], word[:-1], *words[i + 1 :]]
            if any(
                " ".join(candidate[j:k]).lower() in rules.labels
                for j in range(i + 1)
                for k in range(i + 1, len(words) + 1)
            ):
                return " ".join(candidate)
    return name


def _same_parties(known: Agreement, sent: Sentence, ctx: Context) -> bool:
    """A sentence that names no party but those of an agreement of the same kind (or any, when
    that agreement has none), and no other date, speaks of that agreement again."""
    parties = ctx.agencies_in(sent.start_char, sent.end_char, with_people=True)
    date = ctx.date_in(sent.start_char, sent.end_char)
    if date and known.date and (date.end_value or date.value)[:10] != known.date[:10]:
        return False
    if not known.parties:  # a headline's "Anti-Corruption MoU": the one the body names in full
        return True
    return bool(parties) and set(parties) <= set(known.parties)


def _date_from_signing(known: Agreement, sent: Sentence, ctx: Context) -> None:
    """ "The MoU was signed on 15 February 2022": a later sentence dates an agreement whose first
    sentence gave no date."""
    if not has_phrase(sent.text, ctx.kb.agreement_words.signing_cues):
        return
    date = ctx.date_in(sent.start_char, sent.end_char)
    first = known.evidence[0] if known.evidence else None
    if date and first is not None and ctx.date_in(first.start, first.end) is None:
        known.date = date.end_value or date.value
        for person in ctx.people_in(sent.start_char, sent.end_char):
            if person not in known.signatories:
                known.signatories.append(person)


def _is_bare_label(name: str, rules: _AgreementRules) -> bool:
    """A name that is only a kind's label or acronym: "MoU", "the AEO MRA", "Memorandum of
    Understanding", "the arrangement"."""
    words = [w for w in name.split() if w.lower() not in rules.definite]
    if " ".join(words).lower() in rules.labels:
        return True
    return len(words) <= 2 and not any(w.lower() in rules.links for w in words)


def _new_agreement(
    mention: _AgreementMention, name: str, sent: Sentence, ctx: Context, main_event: Event | None
) -> Agreement:
    confidence = ctx.kb.confidence
    agreement = Agreement(
        kind=mention.kind,
        name=name,
        confidence=confidence.set_up_mechanism if mention.mechanism else confidence.labelled_agreement,
    )
    date = ctx.date_in(sent.start_char, sent.end_char, mention.end)
    if date:
        agreement.date = date.end_value or date.value
    elif main_event and (main_event.end or main_event.start):
        agreement.date = main_event.end or main_event.start
    else:
        agreement.date = ctx.published
    agreement.parties = ctx.agencies_in(sent.start_char, sent.end_char, with_people=True)
    if has_phrase(sent.text, ctx.kb.agreement_words.signing_cues):
        agreement.signatories = ctx.people_in(sent.start_char, sent.end_char)
    agreement.topics = ctx.crimes_in(mention.start, sent.end_char) or ctx.crimes_in(
        sent.start_char, sent.end_char
    )
    agreement.evidence.append(ctx.evidence(sent.start_char, sent.end_char))
    return agreement


def _same_agreement(known: Agreement, name: str, mention: _AgreementMention, rules: _AgreementRules) -> bool:
    if known.name.lower() == name.lower():
        return True
    if mention.mechanism and known.kind == "other":
        head_a = known.name.lower().split()
        head_b = name.lower().split()
        return bool(set(head_a[:3]) & set(head_b[:3]) - rules.articles)
    return False


@dataclass(frozen=True)
class _Marks:
    """Where an agreement's name stops or skips, by character offset: where a date or a place
    begins (and, for a date, where it ends), and the spans of agencies' names."""

    stops: dict[int, int]  # start of a date or place -> its end
    agencies: list[tuple[int, int]]  # sorted

    @staticmethod
    def of(ctx: Context) -> _Marks:
        stops = {m.start: m.end for m in [*ctx.dates, *ctx.places]}
        return _Marks(stops, sorted((m.start, m.end) for m in ctx.agencies.mentions))

    def in_agency(self, offset: int) -> bool:
        at = bisect_right(self.agencies, (offset, 1 << 62)) - 1
        return at >= 0 and self.agencies[at][0] <= offset < self.agencies[at][1]


def _skip_aside(doc: Doc, i: int, rules: _AgreementRules, marks: _Marks) -> int:
    """Where the complement of a name begins when a date ("on 4 May") or the counterpart ("with
    its Xland counterparts") stands between the label and it; else ``i``."""
    if (
        i + 3 < len(doc)
        and doc[i].lower_ in rules.complements
        and doc[i + 1].is_digit
        and doc[i + 2].lower_ in rules.months
        and doc[i + 3].lower_ in rules.complements
        and doc[i + 3].lower_ != "of"
    ):
        return i + 3  # "on 4 May regarding ...": a day with no year the text resolves
    if i + 1 < len(doc) and doc[i].lower_ in rules.complements and doc[i + 1].idx in marks.stops:
        ends = marks.stops[doc[i + 1].idx]
        after = i + 1
        while after < len(doc) and doc[after].idx < ends:
            after += 1
        if after < len(doc) and doc[after].lower_ in rules.complements and doc[after].lower_ != "of":
            return after
    if i < len(doc) and doc[i].lower_ == "with":
        for j in range(i + 2, min(i + 12, len(doc))):
            token = doc[j]
            if (token.is_punct and token.text not in ("-", "'", "’")) or (
                token.is_space and "\n" in token.text
            ):
                break
            if token.lower_ in rules.complement_stops:
                break
            if token.lower_ in rules.complements and token.lower_ != "of" and not marks.in_agency(token.idx):
                return j
    return i


def _name_start(doc: Doc, start: int, mechanism: bool, rules: _AgreementRules) -> int:
    """Where an agreement's name begins: capitalised words before its label, over a bracketed
    acronym or an "and" between them (lower-case adjectives too, for a mechanism)."""
    left = start
    while left > 0 and not doc[left - 1].is_sent_start:
        if (
            not mechanism
            and left >= 4
            and doc[left - 1].text == ")"
            and doc[left - 3].text == "("
            and _is_acronym(doc[left - 2].text)
            and doc[left - 4].is_title
        ):
            left -= 3  # "Authorized Economic Operator (AEO) Mutual Recognition Arrangement"
            continue
        token = doc[left - 1]
        if (
            not mechanism
            and token.lower_ in ("and", "&")
            and left >= 2
            and doc[left - 2].is_title
            and doc[left].is_title
            and not doc[left - 2].is_sent_start
        ):
            left -= 1  # "Co-operative and Mutual Assistance Arrangement"
            continue
        if not (
            token.is_title or (mechanism and token.is_lower and token.lower_ not in rules.mechanism_stops)
        ):
            break
        left -= 1
    return left


def _agreement_name(
    doc: Doc, start: int, end: int, mechanism: bool, rules: _AgreementRules, marks: _Marks
) -> list:
    """The agreement's name: capitalised words before (lower-case adjectives too, for a
    mechanism), and an "of/on ..." complement after."""
    left = _name_start(doc, start, mechanism, rules)
    if mechanism and not doc[start].is_title:
        # A lower-case mechanism ("contact points"): keep its purpose; the parties ("between
        # the two administrations") only when no purpose follows them.
        tokens = list(doc[left:end])
        parties: list = []
        for token in doc[end:]:
            if (token.is_punct and token.text != "-") or (token.is_space and "\n" in token.text):
                break
            if (token.lower_ == "between" and not parties) or (
                parties and parties[-1] is not None and token.lower_ not in rules.purpose
            ):
                parties.append(token)
            elif token.is_space or token.lower_ in rules.mechanism_skip:
                continue
            else:
                if parties and parties[-1] is not None:
                    parties.append(None)  # a purpose follows: drop the parties
                tokens.append(token)
        if parties and parties[-1] is not None:
            tokens.extend(parties)
        return tokens
    right = _after_parenthesis(doc, end)  # "Mutual Recognition Arrangement (MRA) on ..."
    head = list(doc[left:right])
    right = _skip_aside(doc, right, rules, marks)
    if right < len(doc) and doc[right].lower_ in rules.complements:
        probe = right + 1
        while probe < len(doc) and probe - right < 12:
            probe = _after_parenthesis(doc, probe)
            token = doc[probe] if probe < len(doc) else None
            if (
                token is None
                or (token.is_punct and token.text not in ("-", "/"))
                or (token.is_space and "\n" in token.text)
            ):
                break
            if token.lower_ in rules.complement_stops or (token.is_lower and token.text.endswith("ing")):
                break
            if doc[probe].idx in marks.stops and probe > right + 1:
                break  # "... on customs affairs cooperation in Washington on April 9"
            probe += 1
    else:
        probe = right
    tokens = _outside_parentheses([*head, *doc[right:probe]] if probe > right else head)
    while len(tokens) > 1 and tokens[-1].lower_ in rules.trailing:
        tokens.pop()
    return tokens


def _after_parenthesis(doc: Doc, i: int) -> int:
    """The index after a short parenthesis "(AEO)" starting at token ``i`` (else ``i``)."""
    if i < len(doc) and doc[i].text == "(":
        for j in range(i + 1, min(i + 6, len(doc))):
            if doc[j].text == ")":
                return j + 1
    return i


def _outside_parentheses(tokens: list) -> list:
    """The tokens outside parentheses, but for a bracketed acronym: "Arrangement (CCA)"."""
    kept, depth, inner = [], 0, []
    for token in tokens:
        if token.text == "(":
            depth += 1
            inner = [token]
            continue
        if depth == 0:
            kept.append(token)
        elif token.text == ")":
            depth -= 1
            words = [t for t in inner[1:] if not t.is_space]
            if depth == 0 and len(words) == 1 and _is_acronym(words[0].text):
                kept.extend([*inner, token])
        else:
            inner.append(token)
    return kept


def _is_acronym(word: str) -> bool:
    """ "MoU", "CCA", "AEO": two capitals or more and no more than two small letters."""
    return sum(c.isupper() for c in word) >= 2 and sum(c.islower() for c in word) <= 2 and word.isalpha()
