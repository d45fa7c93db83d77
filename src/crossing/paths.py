"""Where the embedded default story lives, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path


def default_story_path() -> Path:
    """The story shipped inside the package (a wheel install), else the checkout's story/ folder.

    A plain path beside this module rather than importlib.resources: the package is always installed
    as files, and importing importlib.resources would cost more than the rest of start-up's lookups.
    """
    packaged = Path(__file__).resolve().parent / "story"
    if (packaged / "story.yaml").is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "story"
