#!/usr/bin/env python3
# A copy of the team's shared story generator, kept here so that a clone of the repository alone
# runs its tests and benchmarks.
"""Write a synthetic story folder in the shared story format, for load/validate/analysis benchmarks.

usage: synth_story.py OUT_DIR NODES [--seed S] [--files F]
Every node is reachable from the start and every path ends; about 1 node in 10 is an ending,
choices carry conditions, effects and weighted random outcomes.
"""
import argparse
import os
import random

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("nodes", type=int)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--files", type=int, default=8)
a = p.parse_args()
rng = random.Random(a.seed)
n = a.nodes
os.makedirs(a.out, exist_ok=True)

def q(s):
    return '"' + s.replace('"', "'") + '"'

words = ("river guard broker night border train ice forest village cold money papers soldier "
         "bridge field road fear hope mother rain shore wire light dog station market").split()

def sentence(k):
    return " ".join(rng.choice(words) for _ in range(k)).capitalize() + "."

with open(os.path.join(a.out, "story.yaml"), "w") as f:
    f.write("title: Synthetic benchmark story\nstart: n0\n")
    f.write("variables:\n  money: 100\n  health: 3\n  has_papers: false\n")
    f.write("sources:\n  src-a:\n    title: A synthetic source\n    publisher: Bench\n    year: 2020\n")

files = [open(os.path.join(a.out, f"part{i:02d}.yaml"), "w") for i in range(a.files)]
for fh in files:
    fh.write("nodes:\n")
for i in range(n):
    fh = files[i * a.files // n]
    fh.write(f"  n{i}:\n")
    fh.write(f"    title: {q('Scene ' + str(i))}\n")
    fh.write("    text: |\n")
    for _ in range(3):
        fh.write("      " + sentence(12) + "\n")
    later = list(range(i + 1, n))
    if i > 0 and (i % 10 == 9 or not later):
        kind = rng.choice(["safety", "captured", "repatriated", "died", "trafficked"])
        fh.write(f"    ending:\n      kind: {kind}\n      title: {q('End ' + str(i))}\n")
        continue
    fh.write(f"    risk:\n      level: {rng.choice(['low', 'moderate', 'high', 'extreme'])}\n")
    fh.write(f"      note: {q(sentence(8))}\n")
    fh.write(f"    facts:\n      - claim: {q(sentence(10))}\n        source: src-a\n")
    fh.write("    choices:\n")
    # first choice: always available, goes forward (guarantees reachability + termination)
    nxt = i + 1
    fh.write(f"      - text: {q(sentence(6))}\n        goto: n{nxt}\n")
    k = rng.randint(1, 2)
    for _ in range(k):
        t1 = rng.choice(later[:50])
        t2 = rng.choice(later[:50])
        if rng.random() < 0.5:
            fh.write(f"      - text: {q(sentence(6))}\n        if: \"money >= 20 and health > 0\"\n")
            fh.write(f"        set:\n          money: \"money - 20\"\n        goto: n{t1}\n")
        else:
            fh.write(f"      - text: {q(sentence(6))}\n        outcomes:\n")
            fh.write(f"          - weight: 3\n            goto: n{t1}\n")
            fh.write(f"          - weight: 1\n            goto: n{t2}\n            set:\n              health: \"health - 1\"\n")
for fh in files:
    fh.close()
