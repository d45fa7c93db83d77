"""One-off authoring step: merge story-base.yaml and the parts' meta fragments into story/story.yaml."""
import sys
import yaml

base = yaml.safe_load(open("drafts/story-base.yaml"))
for name in ("south", "china", "siberia"):
    try:
        frag = yaml.safe_load(open(f"drafts/meta-{name}.yaml")) or {}
    except FileNotFoundError:
        print("missing fragment", name, file=sys.stderr)
        continue
    for key in ("sources", "glossary", "variables"):
        for k, v in (frag.get(key) or {}).items():
            if k in base.setdefault(key, {}) and base[key][k] != v:
                print(f"conflict in {key}: {k} ({name})", file=sys.stderr)
                continue
            base[key][k] = v
base["glossary"] = dict(sorted(base.get("glossary", {}).items(), key=lambda kv: kv[0].lower()))
header = "# The default story's metadata. Nodes live in the other files of this folder (see docs/story-format.md).\n"
with open("story/story.yaml", "w") as f:
    f.write(header + yaml.safe_dump(base, sort_keys=False, allow_unicode=True, width=110))
print("ok")
