"""Building the model from a story's YAML: story.yaml's metadata, and nodes with their choices."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml

from crossing.loader._limits import (
    T,
)
from crossing.loader._reader import _Reader, _Skip
from crossing.model import (
    CONTENT_WARNINGS,
    NOWHERE,
    RISK_LEVELS,
    Choice,
    Debrief,
    Ending,
    EndingKind,
    Fact,
    Location,
    Node,
    Outcome,
    Passage,
    Place,
    Risk,
    Route,
    Source,
    Variable,
)


@dataclass
class StoryMeta:
    """What story.yaml says besides its variables (which the builder keeps, for expressions to check)."""

    title: str | None = None
    start: str | None = None
    start_loc: Location = NOWHERE
    version: str = ""
    description: str = ""
    sources: dict[str, Source] = field(default_factory=dict)
    glossary: dict[str, str] = field(default_factory=dict)
    gentle_glossary: dict[str, str] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    routes: dict[str, Route] = field(default_factory=dict)
    ending_kinds: dict[str, EndingKind] = field(default_factory=dict)
    nodes: yaml.Node | None = None  # story.yaml may hold nodes too


class _Builder(_Reader):
    """The story's model, built from its files' YAML."""

    # -- story.yaml

    def story_meta(self, node: yaml.Node) -> StoryMeta:
        """story.yaml's fields; each broken one is reported and left at its default."""
        fields = self.fields(
            node, "story.yaml",
            ("title", "start", "variables", "sources", "version", "description", "author", "glossary",
             "places", "routes", "ending_kinds", "nodes"),
        )
        for key in ("title", "start"):
            if key not in fields:
                self.report_at(self.file, 1, 1, "missing-field", f"story.yaml is missing the required field '{key}'")

        def read(key: str, build: Callable[[yaml.Node], T], default: T) -> T:
            if key not in fields:
                return default
            try:
                return build(fields[key])
            except _Skip:
                return default

        read("variables", self.variables_block, None)  # kept by the builder: expressions check against them
        no_glossary: tuple[dict[str, str], dict[str, str]] = ({}, {})
        glossary, gentle_glossary = read("glossary", self.glossary_block, no_glossary)
        start = read("start", lambda n: (self.string(n, "start"), self.loc(n)), None)
        return StoryMeta(
            title=read("title", lambda n: self.string(n, "title"), None),
            start=start[0] if start else None,
            start_loc=start[1] if start else NOWHERE,
            version=read("version", lambda n: self.string(n, "version"), ""),
            description=read("description", lambda n: self.text(n, "description"), ""),
            sources=read("sources", self.sources_block, {}),
            glossary=glossary,
            gentle_glossary=gentle_glossary,
            places=read("places", self.places_block, {}),
            routes=read("routes", self.routes_block, {}),
            ending_kinds=read("ending_kinds", self.ending_kinds_block, {}),
            nodes=fields.get("nodes"),
        )

    def variables_block(self, node: yaml.Node) -> dict[str, Variable]:
        for name, key_node, value_node in self.mapping(node, "variables"):
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name) or name in ("and", "or", "not", "true", "false", "visited"):
                self.report(key_node, "bad-id", f"variable name '{name}' must be a word of letters, digits and '_' (and not a keyword)")
                continue
            try:
                self.variables[name] = self.variable(name, value_node)
            except _Skip:
                continue
        return self.variables

    def variable(self, name: str, node: yaml.Node) -> Variable:
        if isinstance(node, yaml.MappingNode):
            fields = self.fields(node, f"variable '{name}'", ("value", "min", "max", "label"), ("value",))
            initial = self.scalar(fields["value"], f"the value of '{name}'")
            low = self.number(fields["min"], "min") if "min" in fields else None
            high = self.number(fields["max"], "max") if "max" in fields else None
            label = self.string(fields["label"], "label") if "label" in fields else None
            if isinstance(initial, bool) or not isinstance(initial, int | float):
                if low is not None or high is not None:
                    self.report(node, "wrong-type", f"only a number variable can have bounds ('{name}')")
            elif (low is not None and initial < low) or (high is not None and initial > high):
                self.report(fields["value"], "wrong-type", f"the starting value of '{name}' lies outside its bounds")
            if low is not None and high is not None and low > high:
                self.report(node, "wrong-type", f"'{name}' has min greater than max")
        else:
            initial, low, high, label = self.scalar(node, f"the value of '{name}'"), None, None, None
        if initial is None:
            self.report(node, "wrong-type", f"variable '{name}' needs a starting value (a number, true/false or text)")
            raise _Skip
        return Variable(name, initial, low, high, label, self.loc(node))

    def sources_block(self, node: yaml.Node) -> dict[str, Source]:
        sources: dict[str, Source] = {}
        for source_id, key_node, value_node in self.mapping(node, "sources"):
            self.identifier(key_node, source_id, "source")
            try:
                fields = self.fields(value_node, f"source '{source_id}'",
                                     ("title", "publisher", "year", "url", "gentle_title", "note"),
                                     ("title", "publisher", "year"))
                sources[source_id] = Source(
                    source_id,
                    self.string(fields["title"], "title"),
                    self.string(fields["publisher"], "publisher"),
                    self.integer(fields["year"], "year"),
                    self.string(fields["url"], "url") if "url" in fields else None,
                    self.loc(key_node),
                    self.string(fields["gentle_title"], "gentle_title") if "gentle_title" in fields else None,
                    self.text(fields["note"], "note") if "note" in fields else None,
                )
            except _Skip:
                continue
        return sources

    def glossary_block(self, node: yaml.Node) -> tuple[dict[str, str], dict[str, str]]:
        """Each term's definition, and the gentler definitions some terms carry."""
        glossary: dict[str, str] = {}
        gentle: dict[str, str] = {}
        for term, _key, value_node in self.mapping(node, "glossary"):
            what = f"the glossary entry '{term}'"
            try:
                if isinstance(value_node, yaml.MappingNode):
                    fields = self.fields(value_node, what, ("definition", "gentle_definition"), ("definition",))
                    glossary[term] = self.text(fields["definition"], what)
                    if "gentle_definition" in fields:
                        gentle[term] = self.text(fields["gentle_definition"], f"the gentle definition of '{term}'")
                else:
                    glossary[term] = self.text(value_node, what)
            except _Skip:
                continue
        return glossary, gentle

    def places_block(self, node: yaml.Node) -> dict[str, Place]:
        places: dict[str, Place] = {}
        for place_id, key_node, value_node in self.mapping(node, "places"):
            self.identifier(key_node, place_id, "place")
            try:
                fields = self.fields(value_node, f"place '{place_id}'", ("name", "lat", "lon"), ("name", "lat", "lon"))
                lat, lon = self.number(fields["lat"], "lat"), self.number(fields["lon"], "lon")
                if not -90 <= lat <= 90:
                    self.report(fields["lat"], "bad-coordinates", f"latitude {lat} of '{place_id}' is outside -90..90")
                if not -180 <= lon <= 180:
                    self.report(fields["lon"], "bad-coordinates", f"longitude {lon} of '{place_id}' is outside -180..180")
                places[place_id] = Place(place_id, self.string(fields["name"], "name"), lat, lon, self.loc(key_node))
            except _Skip:
                continue
        return places

    def routes_block(self, node: yaml.Node) -> dict[str, Route]:
        routes: dict[str, Route] = {}
        for route_id, key_node, value_node in self.mapping(node, "routes"):
            self.identifier(key_node, route_id, "route")
            try:
                fields = self.fields(value_node, f"route '{route_id}'", ("title", "description"), ("title",))
                description = self.text(fields["description"], "description") if "description" in fields else ""
                routes[route_id] = Route(route_id, self.string(fields["title"], "title"), description, self.loc(key_node))
            except _Skip:
                continue
        return routes

    def ending_kinds_block(self, node: yaml.Node) -> dict[str, EndingKind]:
        kinds: dict[str, EndingKind] = {}
        for kind, key_node, value_node in self.mapping(node, "ending_kinds"):
            self.identifier(key_node, kind, "ending kind")
            try:
                fields = self.fields(value_node, f"ending kind '{kind}'", ("label", "safe"), ("label",))
                safe = self.boolean(fields["safe"], "safe") if "safe" in fields else False
                kinds[kind] = EndingKind(kind, self.string(fields["label"], "label"), safe)
            except _Skip:
                continue
        return kinds

    # -- node files

    def node_file(self, node: yaml.Node) -> None:
        fields = self.fields(node, "a node file", ("nodes",), ("nodes",))
        self.nodes_block(fields["nodes"])

    def nodes_block(self, node: yaml.Node) -> None:
        for node_id, key_node, value_node in self.mapping(node, "nodes"):
            self.identifier(key_node, node_id, "node")
            previous = self.nodes.get(node_id)
            if previous is not None:
                self.report(key_node, "duplicate-node", f"node '{node_id}' is already defined at {previous.loc}")
                continue
            try:
                self.nodes[node_id] = self.node(node_id, key_node, value_node)
            except _Skip:
                self.broken_nodes.add(node_id)

    def node(self, node_id: str, key_node: yaml.Node, node: yaml.Node) -> Node:
        what = f"node '{node_id}'"
        fields = self.fields(
            node, what,
            ("title", "text", "route", "place", "risk", "facts", "choices", "ending", "content_warnings", "gentle_text"),
            ("text",),
        )
        text = self.passage(fields["text"], f"the text of {what}")

        def optional(key: str, build: Callable[[yaml.Node], T]) -> T | None:
            if key not in fields:
                return None
            try:
                return build(fields[key])
            except _Skip:
                return None

        ending = optional("ending", lambda n: self.ending(n, what))
        choices = optional("choices", lambda n: tuple(self.each(self.sequence(n, "choices"), lambda c: self.choice(c, what))))
        if ending is not None and "choices" in fields:
            self.report(fields["choices"], "ending-with-choices", f"{what} is an ending and cannot have choices")
        if ending is None and "ending" not in fields and not choices and "choices" not in fields:
            self.report(key_node, "no-choices", f"{what} has no choices and is not an ending")
        elif ending is None and "choices" in fields and isinstance(fields["choices"], yaml.SequenceNode) and not fields["choices"].value:
            self.report(fields["choices"], "no-choices", f"{what} has an empty list of choices and is not an ending")
        return Node(
            id=node_id,
            text=text,
            title=optional("title", lambda n: self.string(n, "title")),
            route=optional("route", lambda n: self.string(n, "route")),
            place=optional("place", lambda n: self.string(n, "place")),
            risk=optional("risk", self.risk),
            facts=tuple(optional("facts", lambda n: self.each(self.sequence(n, "facts"), self.fact)) or ()),
            choices=choices or (),
            ending=ending,
            content_warnings=tuple(optional("content_warnings", self.warnings) or ()),
            gentle_text=optional("gentle_text", lambda n: self.passage(n, f"the gentle_text of {what}")),
            loc=self.loc(key_node),
            place_loc=self.loc(fields["place"]) if "place" in fields else self.loc(key_node),
        )

    def risk(self, node: yaml.Node) -> Risk:
        fields = self.fields(node, "risk", ("level", "note"), ("level",))
        level = self.string(fields["level"], "risk level")
        if level not in RISK_LEVELS:
            self.report(fields["level"], "bad-value", f"risk level '{level}' must be one of {', '.join(RISK_LEVELS)}")
            raise _Skip
        note = self.string(fields["note"], "risk note") if "note" in fields else ""
        return Risk(level, note, self.loc(node))

    def fact(self, node: yaml.Node) -> Fact:
        fields = self.fields(node, "a fact", ("claim", "source", "gentle_claim"), ("claim",))
        source = self.string(fields["source"], "source") if "source" in fields else ""
        gentle = self.text(fields["gentle_claim"], "gentle_claim") if "gentle_claim" in fields else None
        return Fact(self.text(fields["claim"], "claim"), source, self.loc(fields.get("source", node)), gentle)

    def warnings(self, node: yaml.Node) -> list[str]:
        found = []
        for item in self.sequence(node, "content_warnings"):
            try:
                tag = self.string(item, "a content warning")
            except _Skip:
                continue
            if tag not in CONTENT_WARNINGS:
                self.report(item, "bad-value", f"content warning '{tag}' must be one of {', '.join(CONTENT_WARNINGS)}")
                continue
            found.append(tag)
        return found

    def ending(self, node: yaml.Node, what: str) -> Ending:
        fields = self.fields(node, f"the ending of {what}", ("kind", "title", "debrief"), ("kind",))
        kind = self.string(fields["kind"], "ending kind")
        title = self.string(fields["title"], "ending title") if "title" in fields else kind
        debrief = None
        if "debrief" in fields:
            with contextlib.suppress(_Skip):
                debrief = self.debrief(fields["debrief"])
        return Ending(kind, title, debrief, self.loc(node), "title" in fields)

    def debrief(self, node: yaml.Node) -> Debrief:
        fields = self.fields(node, "debrief", ("why", "context", "questions", "gentle_why", "gentle_context"),
                             ("why", "context", "questions"))
        questions = self.each(self.sequence(fields["questions"], "questions"), lambda q: self.text(q, "a question"))

        def gentle(key: str) -> Passage | None:
            return self.passage(fields[key], key) if key in fields else None

        return Debrief(self.passage(fields["why"], "why"), self.passage(fields["context"], "context"), tuple(questions),
                       gentle("gentle_why"), gentle("gentle_context"))

    def choice(self, node: yaml.Node, what: str) -> Choice:
        fields = self.fields(node, f"a choice of {what}", ("text", "goto", "outcomes", "if", "set"), ("text",))
        has_goto, has_outcomes = "goto" in fields, "outcomes" in fields
        if has_goto == has_outcomes:
            both = "both 'goto' and 'outcomes'" if has_goto else "neither 'goto' nor 'outcomes'"
            self.report(node, "choice-target", f"a choice needs exactly one of 'goto' or 'outcomes', this one has {both}")
            raise _Skip
        goto = self.target(fields["goto"]) if has_goto else None
        outcomes: tuple[Outcome, ...] = ()
        if has_outcomes:
            items = self.sequence(fields["outcomes"], "outcomes")
            if not items:
                self.report(fields["outcomes"], "choice-target", "'outcomes' must list at least one outcome")
                raise _Skip
            outcomes = tuple(self.each(items, self.outcome))
            if len(outcomes) != len(items):
                raise _Skip
        condition = None
        if "if" in fields:
            # A broken condition is reported; the rest of the choice is still checked (one run, every problem).
            with contextlib.suppress(_Skip):
                condition = self.expression(fields["if"], "the condition")
        assignments = self.assignments(fields["set"], "set") if "set" in fields else ()
        return Choice(
            text=self.string(fields["text"], "choice text"),
            goto=goto,
            outcomes=outcomes,
            condition=condition,
            assignments=assignments,
            loc=self.loc(node),
            condition_loc=self.loc(fields["if"]) if "if" in fields else self.loc(node),
        )

    def target(self, node: yaml.Node) -> str:
        target = self.string(node, "goto")
        self.goto_refs.append((target, self.loc(node)))
        return target

    def outcome(self, node: yaml.Node) -> Outcome:
        fields = self.fields(node, "an outcome", ("weight", "goto", "set", "text", "gentle_text"), ("weight", "goto"))
        weight = self.number(fields["weight"], "weight")
        if not weight > 0 or weight != weight or weight == float("inf"):
            self.report(fields["weight"], "bad-weight", f"weight must be a positive number, not {weight}")
            raise _Skip
        assignments = self.assignments(fields["set"], "set") if "set" in fields else ()
        text = self.text(fields["text"], "the outcome's text") if "text" in fields else None
        gentle = self.text(fields["gentle_text"], "the outcome's gentle_text") if "gentle_text" in fields else None
        return Outcome(weight, self.target(fields["goto"]), assignments, self.loc(node), text, gentle)
