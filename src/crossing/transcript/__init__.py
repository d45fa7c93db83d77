"""A record of one run, for handing in and for class reports: every scene shown (with the facts and their
sources), every choice taken (with its random draw, in the JSON only), the ending and its questions.

- ``records``: the plain data and how a run adds to it;
- ``codec``: JSON, read back with a reason for anything wrong, every number range-checked;
- ``markdown``: the run as the story the student lived;
- ``text``: the escaping every output shares;
- ``writer``: a listener of the play loop that rewrites the files after each event, never overwriting
  another run's transcript.

Nothing personal is recorded: no user name, host or path, only the name or alias a student gives.
"""

from crossing.transcript.codec import (
    MIN_VERSION,
    TRANSCRIPT_FORMAT,
    TRANSCRIPT_VERSION,
    TranscriptError,
    content_key,
    identity,
)
from crossing.transcript.records import (
    MODES,
    DebriefRecord,
    EndingRecord,
    FactRecord,
    Mode,
    SceneRecord,
    StepRecord,
    Transcript,
    VoteCount,
)
from crossing.transcript.text import md_paragraphs, md_text
from crossing.transcript.writer import (
    TranscriptWriter,
    free_paths,
    transcript_format,
    transcript_listener,
)

__all__ = [
    "MIN_VERSION",
    "MODES",
    "TRANSCRIPT_FORMAT",
    "TRANSCRIPT_VERSION",
    "DebriefRecord",
    "EndingRecord",
    "FactRecord",
    "Mode",
    "SceneRecord",
    "StepRecord",
    "Transcript",
    "TranscriptError",
    "TranscriptWriter",
    "VoteCount",
    "content_key",
    "free_paths",
    "identity",
    "md_paragraphs",
    "md_text",
    "transcript_format",
    "transcript_listener",
]
