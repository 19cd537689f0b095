"""The one prompt loader, ``khazna.prompts.load``: an existing file, a missing one, a wrong
language (an error naming the path and the languages there are, never a silent fallback)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from khazna import prompts
from khazna.prompts import PromptNotFound

PROMPTS = Path(__file__).resolve().parents[1] / "prompts"


def test_an_existing_file_is_read_whole_and_cached():
    text = prompts.load("dunning", "system", "fr")
    assert text == (PROMPTS / "dunning" / "system.fr.md").read_text(encoding="utf-8")
    assert prompts.load("dunning", "system", "fr") is text  # lru_cache
    assert "TEXTES DU CLIENT" in prompts.load("dunning", "system", "ar")
    assert "{language_name}" in prompts.load("assistant", "system")  # no language: system.md
    phrases = yaml.safe_load(prompts.load("dunning", "phrases", "ar", ext="yaml"))
    assert set(phrases) >= {"subject", "short", "salutation"}


def test_a_missing_file_names_its_path():
    with pytest.raises(PromptNotFound, match=r"no prompt file prompts/reporter/nothing\.fr\.md"):
        prompts.load("reporter", "nothing", "fr")
    with pytest.raises(FileNotFoundError, match=r"prompts/nobody/system\.md"):
        prompts.load("nobody", "system")


def test_a_wrong_language_is_an_error_listing_the_languages_there_are():
    with pytest.raises(PromptNotFound) as err:
        prompts.load("dunning", "system", "en")
    assert "prompts/dunning/system.en.md" in str(err.value)
    assert "system.ar.md, system.fr.md" in str(err.value)
    with pytest.raises(PromptNotFound, match=r"prompts/reporter/system\.en\.md"):
        prompts.load("reporter", "system", "en")  # the weekly report: French and Arabic
    assert "تعليق" in prompts.load("reporter", "system", "ar")


@pytest.mark.parametrize(
    "args", [("..", "passwd", None), ("dunning", "../system", "fr"), ("dunning", "system", "f/r")]
)
def test_a_path_cannot_leave_the_prompts_folder(args):
    with pytest.raises(PromptNotFound, match="bad prompt reference"):
        prompts.load(*args)
