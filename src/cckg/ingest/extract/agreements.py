"""Agreements: MoUs, arrangements, mutual recognition, agreed minutes, and the mechanisms
agencies set up (notification systems, contact points, hotlines)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from cckg.ingest.extract.context import Context, Sentence
from cckg.ingest.extract.knowledge import Knowledge, derived
from cckg.ingest.extract.nlp import has_phrase, longest, matchers, phrase
from cckg.model import Agreement, Event


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
        labels=frozenset(label.lower() for labels in kb.agreement_labels.values() for label in labels),
    )


@dataclass
class _AgreementMention:
    kind: str
    mechanism: bool
    tokens: list  # the name's tokens
    start: int  # character offsets of the whole name
    end: int


def _agreement_mentions(doc: Doc, ctx: Context) -> list[_AgreementMention]:
    """Agreement-kind labels and set-up mechanisms, with their names, none inside another's name."""
    rules = _rules(ctx.kb)
    built = matchers(ctx.kb)
    found = [(doc.vocab.strings[i], s, e) for i, s, e in built.agreement(doc)]
    found += [(doc.vocab.strings[i], s, e) for i, s, e in built.agreement_exact(doc)]
    found += [("other", s, e) for _, s, e in built.mechanism(doc)]
    kinds = {(s, e): k for k, s, e in found}
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
            tokens = _agreement_name(doc, tokens[0].i, end, mechanism, rules)
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
        tokens = _agreement_name(doc, start, end, mechanism, rules)
        mentions.append(
            _AgreementMention(
                kinds[(start, end)], mechanism, tokens, tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
            )
        )
    return mentions


def find_agreements(doc: Doc, ctx: Context, events: list[Event]) -> list[Agreement]:
    words = ctx.kb.agreement_words
    rules = _rules(ctx.kb)
    agreements: list[Agreement] = []
    main_event = next((e for e in events if e.status == "held"), None)
    mentions = _agreement_mentions(doc, ctx)
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
        same = next((a for a in agreements if _same_agreement(a, name, mention, rules)), None)
        if same is None and not mention.mechanism and agreements:
            first = doc.char_span(mention.start, mention.end, alignment_mode="expand")[0]
            previous = first.nbor(-1).lower_ if first.i > 0 else ""
            same_kind = [a for a in agreements if a.kind == mention.kind]
            if same_kind and (_is_bare_label(name, rules) or _is_bare_label(same_kind[-1].name, rules)):
                same = same_kind[-1]
            elif previous in rules.definite and (same_kind or name[:1].islower()):
                # "the aforementioned co-operative arrangement": the agreement just named.
                same = (same_kind or agreements)[-1]
        if same is not None:
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
    for agreement in agreements:
        # "signed between the two places": the parties are those of the main event.
        if len(agreement.parties) < 2 and main_event:
            agreement.parties += [p for p in main_event.participants if p not in agreement.parties]
    return agreements


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


def _agreement_name(doc: Doc, start: int, end: int, mechanism: bool, rules: _AgreementRules) -> list:
    """The agreement's name: capitalised words before (lower-case adjectives too, for a
    mechanism), and an "of/on ..." complement after."""
    left = start
    while (
        left > 0
        and not doc[left - 1].is_sent_start
        and (
            doc[left - 1].is_title
            or (mechanism and doc[left - 1].is_lower and doc[left - 1].lower_ not in rules.mechanism_stops)
        )
    ):
        left -= 1
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
            probe += 1
    else:
        probe = end
    tokens = _outside_parentheses(list(doc[left:probe]))
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
    kept, depth = [], 0
    for token in tokens:
        depth += token.text == "("
        if depth == 0:
            kept.append(token)
        depth -= token.text == ")" and depth > 0
    return kept
