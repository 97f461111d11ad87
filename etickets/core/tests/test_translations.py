"""The English catalogue is complete and compiled; the vendored assets match their pins."""

import json
import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalogue_is_complete():
    catalogue = polib.pofile(str(PO))
    assert not catalogue.untranslated_entries(), [e.msgid for e in catalogue.untranslated_entries()]
    assert not catalogue.fuzzy_entries(), [e.msgid for e in catalogue.fuzzy_entries()]


def test_compiled_catalogue_matches_the_source():
    source = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(PO)).translated_entries()}
    compiled = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(PO.with_suffix(".mo")))}
    compiled.pop((None, ""), None)  # the header
    assert source.keys() == compiled.keys(), "run `make messages` to recompile"
    for key, entry in source.items():
        assert compiled[key].msgstr == entry.msgstr or compiled[key].msgstr_plural == {
            int(k): v for k, v in entry.msgstr_plural.items()
        }, key


def test_vendored_htmx_is_the_pinned_version():
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["htmx.org"]
    htmx = (ROOT / "static" / "vendor" / "htmx" / "htmx.min.js").read_text()
    assert re.search(rf'version:"{re.escape(pinned)}"', htmx)


def test_vendored_axe_core_is_the_pinned_version():
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["axe-core"]
    axe = (ROOT / "tests" / "e2e" / "vendor" / "axe.min.js").read_text()
    assert axe.startswith(f"/*! axe v{pinned}")
