"""Every user-facing string has a Polish and an Estonian translation: none missing, none fuzzy.

The catalogues are regenerated from the source in a copy of the tree, exactly as
`make messages` would, so a string added without a translation fails here.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("pl", "et")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("tree")
    shutil.copytree(
        ROOT / "opiekun", copy / "opiekun", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "locale", copy / "locale")
    env = {
        **os.environ,
        "PYTHONPATH": str(copy),
        "DJANGO_SETTINGS_MODULE": "opiekun.settings",
        "OPIEKUN_TESTING": "1",
        "OPIEKUN_VAR_DIR": str(copy / "var"),
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-m", "django", "makemessages", "--no-obsolete", "-v", "0"]
        + [f"--locale={language}" for language in LANGUAGES],
        cwd=copy,
        env=env,
        check=True,
    )
    return copy


def catalogues(tree: Path, language: str) -> list[Path]:
    return sorted(tree.glob(f"**/locale/{language}/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(regenerated: Path, language: str) -> None:
    problems = []
    for path in catalogues(regenerated, language):
        catalogue = polib.pofile(str(path))
        name = path.relative_to(regenerated)
        problems += [f"{name}: untranslated {e.msgid!r}" for e in catalogue.untranslated_entries()]
        problems += [f"{name}: fuzzy {e.msgid!r}" for e in catalogue.fuzzy_entries()]
    assert catalogues(regenerated, language), "no catalogue found"
    assert problems == []
