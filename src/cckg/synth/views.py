"""What templates fill their slots with: views of agencies, people and facts that write them the
way releases do and record every mention, so that the gold facts are exactly what the text says.

A template writes ``{a.first}`` ("the Korea Customs Service (KCS)"), ``{a.ref}`` ("the KCS"),
``{ha.before}`` ("the Commissioner of the Korea Customs Service (KCS), Mr Kim Dong-hyun"),
``{ha.short}`` ("Mr Kim"), ``{ev.name}``, ``{topics}`` ...  Each of these records in
:class:`Mentions` the agency, official, crime types or fact it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cckg.model import Agreement, Event, Operation, Seizure
from cckg.synth.data import AgencyRecord
from cckg.synth.text import capitalised, join
from cckg.synth.world import Person, Term

Fact = Event | Agreement | Operation | Seizure


@dataclass
class OfficialMention:
    person: Person
    agency: str  # agency key
    post: str  # the post without its agency ("Commissioner")
    titles: list[str] = field(default_factory=list)
    honorific: bool = False  # written with the honorific at least once


@dataclass
class Mentions:
    """Everything the text of one release names, in the order it first names it."""

    agencies: dict[str, AgencyRecord] = field(default_factory=dict)
    officials: dict[str, OfficialMention] = field(default_factory=dict)
    crimes: dict[str, None] = field(default_factory=dict)
    facts: dict[int, Fact] = field(default_factory=dict)
    links: dict[tuple[str, str], None] = field(default_factory=dict)
    defined: set[str] = field(default_factory=set)  # agencies whose acronym the text has defined

    def agency(self, record: AgencyRecord) -> None:
        self.agencies.setdefault(record.key, record)

    def crime(self, slugs: list[str] | tuple[str, ...]) -> None:
        for slug in slugs:
            self.crimes.setdefault(slug, None)

    def fact(self, fact: Fact) -> None:
        self.facts.setdefault(id(fact), fact)

    def link(self, a: str, b: str) -> None:
        self.links.setdefault((a, b) if a < b else (b, a), None)


class AgencyView:
    """The forms of an agency's name: ``name``, ``the``, ``first`` (with its acronym defined in
    brackets the first time), ``ref`` (the acronym, else the name), ``alias``, ``short`` and
    ``headline``; a capital first letter (``The``, ``First``, ``Ref``) starts a sentence."""

    def __init__(self, mentions: Mentions, record: AgencyRecord) -> None:
        self._m, self.record = mentions, record

    def _said(self, text: str) -> str:
        self._m.agency(self.record)
        return text

    @property
    def key(self) -> str:
        return self.record.key

    @property
    def name(self) -> str:
        return self._said(self.record.name)

    @property
    def the(self) -> str:
        return self._said(f"the {self.record.name}" if self.record.article else self.record.name)

    @property
    def first(self) -> str:
        """The name with its acronym in brackets the first time, the acronym after that."""
        acronym = self.record.acronym
        if not acronym or acronym == self.record.name:
            return self.the
        if self.key in self._m.defined:
            return self.ref
        self._m.defined.add(self.key)
        return f"{self.the} ({acronym})"

    @property
    def headline(self) -> str:
        """The short form a headline uses ("Hong Kong Customs"), else the name."""
        record = self.record
        return self._said(record.short if record.short != record.acronym else record.name)

    @property
    def ref(self) -> str:
        acronym = self.record.acronym
        if acronym is None:
            return self.the
        bare = self.record.bare or (acronym[:1].isupper() and acronym[1:2].islower())  # "Europol"
        return self._said(acronym if bare else f"the {acronym}")

    @property
    def short(self) -> str:
        return self._said(self.record.short)

    @property
    def alias(self) -> str:
        short = self.record.short
        return self._said(short) if short in self.record.aliases else self.ref

    def titled(self, first: bool) -> str:
        """The agency as a post title ends in it: ``first`` or ``ref``, or a form a title can
        end in when the name cannot ("Director of Tajik Customs")."""
        record = self.record
        if record.title_name == record.name:
            return self.first if first else self.ref
        form = record.title_name or record.name
        article = "the " if " " in form and not form.endswith("Customs") else ""
        return self._said(article + form)

    @property
    def The(self) -> str:
        return capitalised(self.the)

    @property
    def First(self) -> str:
        return capitalised(self.first)

    @property
    def Ref(self) -> str:
        return capitalised(self.ref)


class PersonView:
    """An official at one post: ``before`` ("the Commissioner of the Korea Customs Service (KCS),
    Mr Kim Dong-hyun"), ``before_ref`` (the agency by its acronym), ``after`` ("Mr Kim Dong-hyun,
    Commissioner of ..."), ``prefix`` ("KCS Commissioner Kim Dong-hyun"), ``full``, ``short``
    ("Mr Kim") and ``rank`` ("Commissioner Kim")."""

    def __init__(
        self, mentions: Mentions, term: Term, agency: AgencyView, post: str, people: list[Person]
    ) -> None:
        self._m, self.term, self.agency, self.post = mentions, term, agency, post
        self._people = people  # everyone the release names: a short name must point to one

    def _short_name(self) -> str:
        """The short name, or the full name when the short one would fit someone else too."""
        person = self.term.person
        wanted = set(person.short.split())
        for other in self._people:
            if other.name != person.name and wanted <= set(other.name.replace("-", " ").split()):
                return person.name
        return person.short

    @property
    def person(self) -> Person:
        return self.term.person

    def _said(self, title: str | None, honorific: bool) -> OfficialMention:
        person = self.term.person
        found = self._m.officials.get(person.name)
        if found is None:
            found = OfficialMention(person, self.term.agency, self.post.split(" of ")[0])
            self._m.officials[person.name] = found
        if title:
            found.titles.append(title)
        found.honorific |= honorific
        return found

    def _title(self, agency_form: str) -> str:
        return self.post if self.names_agency else f"{self.post} of {agency_form}"

    @property
    def names_agency(self) -> bool:
        """Whether the post names the agency on its own ("Commissioner of Customs and Excise")."""
        return self.post in self.agency.record.posts

    def _written(self, agency_form: str) -> str:
        """The title as written, recorded as the extractor reads it (without a bracketed acronym)."""
        if self.names_agency:
            self._m.agency(self.agency.record)
            title = self.post
        else:
            title = self._title(agency_form)
        acronym = self.agency.record.acronym
        bracketed = acronym and re.fullmatch(r"[A-Z&/.-]+", acronym)  # the extractor keeps "(NamRA)"
        self._said(title.replace(f" ({acronym})", "") if bracketed else title, honorific=True)
        return title

    @property
    def before(self) -> str:
        title = self._written("" if self.names_agency else self.agency.titled(first=True))
        return f"the {title}, {self.person.honorific} {self.person.name}"

    @property
    def before_ref(self) -> str:
        title = self._written("" if self.names_agency else self.agency.titled(first=False))
        return f"the {title}, {self.person.honorific} {self.person.name}"

    @property
    def after(self) -> str:
        title = self._written("" if self.names_agency else self.agency.titled(first=True))
        return f"{self.person.honorific} {self.person.name}, {title}"

    @property
    def after_ref(self) -> str:
        title = self._written("" if self.names_agency else self.agency.titled(first=False))
        return f"{self.person.honorific} {self.person.name}, {title}"

    @property
    def prefix(self) -> str:
        post = self.post.split(" of ")[0]
        self._said(post, honorific=False)
        return f"{self.agency.ref.removeprefix('the ')} {post} {self.person.name}"

    @property
    def full(self) -> str:
        self._said(None, honorific=True)
        return f"{self.person.honorific} {self.person.name}"

    @property
    def short(self) -> str:
        self._said(None, honorific=True)
        return f"{self.person.honorific} {self._short_name()}"

    @property
    def rank(self) -> str:
        self._said(None, honorific=False)
        return f"{self.post.split(' of ')[0]} {self._short_name()}"

    @property
    def Before(self) -> str:
        return capitalised(self.before)

    @property
    def Before_ref(self) -> str:
        return capitalised(self.before_ref)

    @property
    def Short(self) -> str:
        return capitalised(self.short)


class Group:
    """Several agencies written as one list: ``{guests.first}`` -> "A (ACR), B and C"."""

    def __init__(self, views: list[AgencyView]) -> None:
        self.views = views

    def __getattr__(self, form: str) -> str:
        if form.startswith("_"):
            raise AttributeError(form)
        lower = form[:1].lower() + form[1:]
        return join([getattr(view, form if i == 0 else lower) for i, view in enumerate(self.views)])


class Phrase:
    """Text that names crime types (a topic, goods) and records them when written."""

    def __init__(self, mentions: Mentions, text: str, slugs: list[str] | tuple[str, ...]) -> None:
        self._m, self.text, self.slugs = mentions, text, tuple(slugs)

    def __format__(self, spec: str) -> str:
        self._m.crime(self.slugs)
        return self.text


class FactView:
    """A fact (event, agreement, operation, seizure) and the words that write it; writing any of
    them records the fact."""

    def __init__(
        self, mentions: Mentions, fact: Fact, words: dict[str, Any], slugs: tuple[str, ...] = ()
    ) -> None:
        self._m, self.fact, self._words, self._slugs = mentions, fact, words, slugs

    def __getattr__(self, word: str) -> Any:
        if word.startswith("_"):
            raise AttributeError(word)
        try:
            value = self._words[word]
        except KeyError:
            raise AttributeError(f"no slot {word!r} for this fact") from None
        self._m.fact(self.fact)
        self._m.crime(self._slugs)
        return value


class Link:
    """A cooperation the text states outside any fact ("acting on intelligence provided by B"):
    writing ``{intel.by}`` records the pair."""

    def __init__(self, mentions: Mentions, a: AgencyView, b: AgencyView) -> None:
        self._m, self._a, self._b = mentions, a, b

    def __getattr__(self, form: str) -> str:
        if form.startswith("_"):
            raise AttributeError(form)
        self._m.link(self._a.key, self._b.key)
        return str(getattr(self._b, form))


_APPOSITIVE = {"before", "before_ref", "after", "after_ref"}


class Into:
    """Agencies or people that a fact takes when the text names them: ``{agr.signers.short}``
    writes "Mr Chan and Mr Kim" and makes both signatories; ``{ev.host.the}`` makes the host an
    organiser."""

    def __init__(self, target: list[str], items: list[tuple[str, Any]]) -> None:
        self._target, self._items = target, items

    def __getattr__(self, form: str) -> str:
        if form.startswith("_"):
            raise AttributeError(form)
        for value, _ in self._items:
            if value not in self._target:
                self._target.append(value)
        lower = form[:1].lower() + form[1:]  # "Before": only the first one starts the sentence
        written = [getattr(view, form if i == 0 else lower) for i, (_, view) in enumerate(self._items)]
        if lower in _APPOSITIVE and len(written) > 1:  # "the C of X, Mr A, and the D of Y, Mr B"
            return f"{', '.join(written[:-1])}, and {written[-1]}"
        return join(written)


class Topics(Phrase):
    """Crime types that a fact also takes when written (an agreement's topics)."""

    def __init__(self, mentions: Mentions, phrase: Phrase, target: list[str]) -> None:
        super().__init__(mentions, phrase.text, phrase.slugs)
        self._target = target

    def __format__(self, spec: str) -> str:
        for slug in self.slugs:
            if slug not in self._target:
                self._target.append(slug)
        return super().__format__(spec)
