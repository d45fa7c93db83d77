"""Where the embedded default story lives, installed or in a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def default_story_path() -> Path:
    """The story shipped inside the package (a wheel install), else the checkout's story/ folder."""
    packaged = Path(str(resources.files("crossing"))) / "story"
    if (packaged / "story.yaml").is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "story"
