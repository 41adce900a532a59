"""The French catalogue is complete and current: every string of the code and templates is
translated (the same extraction as makemessages, into a temporary file)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
KEYWORDS = [
    "gettext_noop",
    "gettext_lazy",
    "ngettext_lazy:1,2",
    "pgettext:1c,2",
    "npgettext:1c,2,3",
    "pgettext_lazy:1c,2",
    "npgettext_lazy:1c,2,3",
    "gettext",
    "ngettext:1,2",
    "_",
]


def _entries(text):
    """msgid → list of msgstr (singular, plural forms) from a .po/.pot text."""
    entries = {}
    for block in text.split("\n\n"):
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""' not in block:
            entries[("FUZZY", block[:80])] = [""]
        parts = re.findall(
            r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) ((?:".*"\n?)+)', block, flags=re.M
        )
        fields = {k: "".join(re.findall(r'"(.*)"', v)) for k, v in parts}
        if fields.get("msgid"):
            key = (fields.get("msgctxt", ""), fields["msgid"])
            entries[key] = [v for k, v in fields.items() if k.startswith("msgstr")]
    return entries


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext tools not installed")
def test_french_catalogue_is_complete_and_current(tmp_path):
    sources = sorted(p for p in (ROOT / "binome").rglob("*.py") if "migrations" not in p.parts)
    for template in sorted((ROOT / "binome" / "templates").rglob("*")):
        if template.suffix in {".html", ".txt"}:
            out = tmp_path / (str(template.relative_to(ROOT)).replace("/", "__") + ".py")
            out.write_text(templatize(template.read_text(encoding="utf-8"), origin=template))
            sources.append(out)
    pot = tmp_path / "extracted.pot"
    subprocess.run(
        [
            "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
            "--no-wrap",
            "-o",
            str(pot),
            *[f"--keyword={k}" for k in KEYWORDS],
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
    )
    extracted = _entries(pot.read_text(encoding="utf-8"))
    catalogue = _entries(PO.read_text(encoding="utf-8"))
    fuzzy = [k for k in catalogue if k[0] == "FUZZY"]
    missing = sorted(k[1] for k in extracted if k not in catalogue)
    untranslated = sorted(k[1] for k, v in catalogue.items() if k[0] != "FUZZY" and not all(v))
    assert not fuzzy, fuzzy
    assert not missing, f"run `manage.py makemessages -l fr` and translate: {missing}"
    assert not untranslated, untranslated
