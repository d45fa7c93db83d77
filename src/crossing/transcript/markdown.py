"""A transcript as Markdown that reads like the story the student lived: the scenes, the facts shown with
their sources, the choices made, the ending and its questions. No mechanics (seeds, draws, outcome
numbers): those stay in the JSON transcript."""

from __future__ import annotations

from crossing.transcript.records import FactRecord, StepRecord, Transcript
from crossing.transcript.text import md_paragraphs, md_text, md_url


def to_markdown(t: Transcript) -> str:
    out: list[str] = [f"# {md_text(t.story_title)}", ""]
    byline = []
    if t.name:
        byline.append(f"- **Name:** {md_text(t.name, line_start=False)}")
    byline.append(f"- **Played:** {'as a class, voting at each choice' if t.mode == 'class' else 'on my own'}"
                  + (", gentle telling" if t.gentle else ""))
    byline.append(f"- **Started:** {md_text(t.started, line_start=False)}")
    out.extend([*byline, ""])
    if not t.finished:
        out.extend(["> **Unfinished:** this run stopped before an ending.", ""])
    for index, scene in enumerate(t.scenes):
        later = t.scenes[index + 1].after_steps if index + 1 < len(t.scenes) else len(t.steps)
        if t.ending is not None and index == len(t.scenes) - 1 and scene.node == t.ending.node:
            break  # the ending is written below, with its debrief
        out.extend([f"## {md_text(scene.title or scene.node)}", ""])
        out.extend(md_paragraphs(scene.text))
        out.extend(_facts(scene.facts))
        taken = t.steps[scene.after_steps:later]
        for step in taken:
            out.extend([_step(step), ""])
            if step.narration:
                out.extend(md_paragraphs(step.narration))
        if not taken and index + 1 < len(t.scenes):
            out.extend(["*Went back one choice.*", ""])
    if t.ending is not None:
        end = t.ending
        out.extend([f"## Ending: {md_text(end.title)}", "", f"*{md_text(end.kind_label, line_start=False)}*", ""])
        out.extend(md_paragraphs(end.text))
        if t.scenes and t.scenes[-1].node == end.node:
            out.extend(_facts(t.scenes[-1].facts))
        if end.debrief is not None:
            out.extend(["### What happened, and why", ""])
            out.extend(md_paragraphs(end.debrief.why))
            out.extend(["### The real world", ""])
            out.extend(md_paragraphs(end.debrief.context))
            out.extend(["### To discuss", ""])
            out.extend(f"{n}. {md_text(q)}" for n, q in enumerate(end.debrief.questions, 1))
            out.append("")
    out.extend(["## My path", ""])
    stood = t.path_steps
    if stood:
        out.extend(f"{n}. {md_text(s.choice_text)}" for n, s in enumerate(stood, 1))
    else:
        out.append("No choice taken yet.")
    out.append("")
    return "\n".join(out)


def _facts(facts: tuple[FactRecord, ...]) -> list[str]:
    out: list[str] = []
    for fact in facts:
        source = md_text(fact.citation, line_start=False) + (f", {md_url(fact.url)}" if fact.url else "")
        out.extend([f"> **Fact:** {md_text(fact.claim, line_start=False)}  \n> *Source:* {source}", ""])
    return out


def _step(step: StepRecord) -> str:
    who = "The class chose" if step.votes is not None else "I chose"
    line = f"> **{who}:** {md_text(step.choice_text)}"
    if step.votes is not None and all(v.hands is not None for v in step.votes):
        tally = ", ".join(f"{v.hands} for “{md_text(v.text, line_start=False)}”" for v in step.votes)
        line += f"  \n> Hands: {tally}"
        if step.tie:
            line += " (a tie: it went to the choice listed first)"
    if step.undone:
        line += "  \n> *Taken back.*"
    return line
