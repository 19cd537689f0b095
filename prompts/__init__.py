"""khazna.prompts: the prompt and phrase files of the agents, and the one way to read them.

``load(agent, name, lang)`` reads ``prompts/<agent>/<name>.<lang>.<ext>`` (``ext`` is ``md``
unless told; no ``lang`` reads ``prompts/<agent>/<name>.<ext>``), cached. A file that is not
there is an error naming the path and the languages that do exist: a language without its
file never falls back silently to another one (an Arabic-speaking client would get French);
the callers choose their language explicitly, e.g. the dunning writer maps an unknown
language to ``fr`` before it loads.

This module imports nothing of Khazna: it sits beside the ledger, under everything else.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

__all__ = ["PromptNotFound", "load"]

_PART = re.compile(r"[a-z][a-z0-9_]*")


class PromptNotFound(FileNotFoundError):
    """No prompt or phrase file for that agent, name and language."""


def _file_name(name: str, lang: str | None, ext: str) -> str:
    return f"{name}.{lang}.{ext}" if lang else f"{name}.{ext}"


@lru_cache(maxsize=64)
def load(agent: str, name: str, lang: str | None = None, *, ext: str = "md") -> str:
    """The text of ``prompts/<agent>/<name>.<lang>.<ext>`` (UTF-8)."""
    parts = (agent, name, ext) + ((lang,) if lang else ())
    if not all(isinstance(p, str) and _PART.fullmatch(p) for p in parts):
        raise PromptNotFound(
            f"bad prompt reference: agent={agent!r}, name={name!r}, lang={lang!r}, ext={ext!r}"
        )
    folder = resources.files(__name__).joinpath(agent)
    file_name = _file_name(name, lang, ext)
    node = folder.joinpath(file_name)
    if not node.is_file():
        path = f"prompts/{agent}/{file_name}"
        others = (
            sorted(
                p.name
                for p in folder.iterdir()
                if p.name.startswith(f"{name}.") and p.name.endswith(f".{ext}")
            )
            if folder.is_dir()
            else []
        )
        found = f"; there is {', '.join(others)}" if others else ""
        raise PromptNotFound(f"no prompt file {path} ({node}){found}")
    return node.read_text(encoding="utf-8")
