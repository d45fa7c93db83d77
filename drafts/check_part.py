#!/usr/bin/env python3
"""Quick checks for a part of the default story before it is merged (authoring aid, not the validator)."""
import re
import sys

import yaml

SHARED = {"prologue", "dmz-start", "china-start", "siberia-start", "south-arrival", "return-handover"}
COMMON_SOURCES = {"coi-2014", "coi-2014-detailed", "mou-settlement", "hrw-2020-worth-less"}
PLACES = set("""pyongyang kaesong panmunjom seoul anseong hoeryong musan onsong hyesan sinuiju chongjin yanji
tumen-city changbai dandong shenyang beijing qingdao kunming jinghong chiang-saen vientiane bangkok hanoi
erenhot ulaanbaatar tynda chegdomyn khabarovsk vladivostok moscow""".split())
KINDS = {"resettled", "hidden", "trafficked", "repatriated", "imprisoned", "died", "stayed"}
WARN = {"violence", "sexual-violence", "torture", "death"}
BANNED = re.compile(r"you win|game over|try again|congratulations|victory|you lose|you failed", re.I)
VARS = {"character", "money", "debt", "health", "exposure", "papers", "family_south"}

node_files = [a for a in sys.argv[1:] if "meta-" not in a]
meta_files = [a for a in sys.argv[1:] if "meta-" in a]
nodes, sources = {}, set(COMMON_SOURCES)
for f in meta_files:
    m = yaml.safe_load(open(f)) or {}
    sources |= set((m.get("sources") or {}))
    VARS |= set((m.get("variables") or {}))
for f in node_files:
    d = yaml.safe_load(open(f))
    for k, v in d["nodes"].items():
        if k in nodes:
            print(f"{f}: duplicate id {k}")
        nodes[k] = v
problems = 0
def bad(nid, msg):
    global problems
    problems += 1
    print(f"{nid}: {msg}")
cited = set()
for nid, n in nodes.items():
    words = len(str(n.get("text", "")).split())
    if not 60 <= words <= 220:
        bad(nid, f"text has {words} words")
    for key in ("route", "place", "text"):
        if key not in n:
            bad(nid, f"missing {key}")
    if n.get("place") not in PLACES:
        bad(nid, f"unknown place {n.get('place')}")
    for w in n.get("content_warnings") or []:
        if w not in WARN:
            bad(nid, f"unknown warning {w}")
    if n.get("content_warnings") and not n.get("gentle_text"):
        bad(nid, "content_warnings without gentle_text")
    if n.get("gentle_text") and not 60 <= len(n["gentle_text"].split()) <= 220:
        bad(nid, "gentle_text not 60-220 words")
    blob = yaml.safe_dump(n)
    if BANNED.search(blob):
        bad(nid, f"banned wording: {BANNED.search(blob).group(0)}")
    for fact in n.get("facts") or []:
        cited.add(fact.get("source"))
        if fact.get("source") not in sources:
            bad(nid, f"unknown source {fact.get('source')}")
    if "ending" in n:
        e = n["ending"]
        if e.get("kind") not in KINDS:
            bad(nid, f"unknown ending kind {e.get('kind')}")
        d = e.get("debrief") or {}
        if not d.get("why") or not d.get("context") or not 2 <= len(d.get("questions") or []) <= 3:
            bad(nid, "ending needs debrief why/context and 2-3 questions")
        if "choices" in n:
            bad(nid, "ending with choices")
        continue
    if not n.get("facts"):
        bad(nid, "scene without facts")
    if not n.get("choices"):
        bad(nid, "scene without choices")
    for c in n.get("choices") or []:
        targets = [c["goto"]] if "goto" in c else [o["goto"] for o in c.get("outcomes", [])]
        if ("goto" in c) == ("outcomes" in c):
            bad(nid, "choice needs exactly one of goto/outcomes")
        for t in targets:
            if t not in nodes and t not in SHARED:
                bad(nid, f"goto unknown node {t}")
        exprs = [str(c.get("if", ""))] + [str(v) for v in (c.get("set") or {}).values()]
        for o in c.get("outcomes") or []:
            exprs += [str(v) for v in (o.get("set") or {}).values()]
        for x in exprs:
            for name in re.findall(r"(?<![\"\w-])([a-z_][a-z0-9_]*)(?![\"\w-])", re.sub(r'"[^"]*"', "", x)):
                if name not in VARS | {"and", "or", "not", "true", "false", "visited"}:
                    bad(nid, f"unknown name {name} in {x!r}")
# reachability inside the part
print(f"{len(nodes)} nodes ({sum('ending' in n for n in nodes.values())} endings), "
      f"{sum(len(str(n.get('text','')).split()) for n in nodes.values())} words, {problems} problems")
unused = sources - cited - COMMON_SOURCES
if unused:
    print("sources never cited:", sorted(unused))
