"""The Simplified Chinese catalogue is complete, compiled, and used by the pages.

After adding or changing a translatable string, refresh the catalogue from the parkos/ directory:

    parkos makemessages -l zh_Hans --ignore "*/tests/*" --ignore "*/migrations/*" --no-location --no-obsolete
    (translate the new entries, remove any "#, fuzzy")
    parkos compilemessages -l zh_Hans
"""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import Client, TestCase
from django.utils import translation

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"
MSGFMT = shutil.which("msgfmt")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


def _unquote(line: str) -> str:
    text = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file as dicts (msgid, msgid_plural, msgstr list, flags); obsolete ones skipped."""
    entries, entry, key = [], None, None

    def close():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            close()
            entry, key = {"flags": {f.strip() for f in line[2:].split(",")}, "msgstr": []}, None
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid "):
            if entry is None or "msgid" in entry:
                close()
                entry = {"flags": set(), "msgstr": []}
            entry["msgid"], key = _unquote(line), "msgid"
        elif line.startswith("msgid_plural "):
            entry["msgid_plural"], key = _unquote(line), "msgid_plural"
        elif line.startswith("msgstr"):
            entry["msgstr"].append(_unquote(line))
            key = "msgstr"
        elif line.startswith('"'):
            if key == "msgstr":
                entry["msgstr"][-1] += _unquote(line)
            else:
                entry[key] += _unquote(line)
    close()
    return entries


class CatalogueTests(TestCase):
    def setUp(self):
        self.assertTrue(PO_FILE.is_file(), f"missing {PO_FILE}")
        entries = parse_po(PO_FILE)
        self.header = next(e for e in entries if e["msgid"] == "")
        self.entries = [e for e in entries if e["msgid"] != ""]

    def test_catalogue_has_entries_and_header(self):
        self.assertGreater(len(self.entries), 100)
        header = self.header["msgstr"][0]
        self.assertIn("Language: zh_Hans\n", header)
        self.assertIn("charset=UTF-8", header)
        self.assertIn("Plural-Forms: nplurals=1; plural=0;", header)
        self.assertNotIn("fuzzy", self.header["flags"])

    def test_every_entry_is_translated_and_none_is_fuzzy(self):
        untranslated = [e["msgid"] for e in self.entries if not all(s.strip() for s in e["msgstr"])]
        fuzzy = [e["msgid"] for e in self.entries if "fuzzy" in e["flags"]]
        self.assertEqual(untranslated, [], "untranslated entries")
        self.assertEqual(fuzzy, [], "fuzzy entries")
        for e in self.entries:
            if "msgid_plural" in e:
                self.assertEqual(len(e["msgstr"]), 1, f"nplurals=1 takes one msgstr[0]: {e['msgid']}")

    def test_placeholders_are_kept(self):
        for e in self.entries:
            expected = set(PLACEHOLDER.findall(e["msgid"] + e.get("msgid_plural", "")))
            for msgstr in e["msgstr"]:
                self.assertEqual(set(PLACEHOLDER.findall(msgstr)), expected, e["msgid"])

    def test_msgfmt_statistics_report_only_translated_messages(self):
        if MSGFMT is None:
            self.skipTest("GNU gettext (msgfmt) is not installed")
        result = subprocess.run(
            [MSGFMT, "--check-format", "--statistics", "-o", "/dev/null", str(PO_FILE)],
            capture_output=True,
            text=True,
            env={"LC_ALL": "C"},
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stderr, r"^\d+ translated messages?\.\s*$")

    def test_committed_mo_is_compiled_from_the_po(self):
        if MSGFMT is None:
            self.skipTest("GNU gettext (msgfmt) is not installed")
        self.assertTrue(MO_FILE.is_file(), f"missing {MO_FILE}: run compilemessages -l zh_Hans")
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "django.mo"
            # the same command compilemessages runs
            subprocess.run([MSGFMT, "--check-format", "-o", str(fresh), str(PO_FILE)], check=True, capture_output=True)
            self.assertEqual(
                fresh.read_bytes(),
                MO_FILE.read_bytes(),
                "django.mo is out of date: run compilemessages -l zh_Hans",
            )

    def test_catalogue_loads(self):
        with translation.override("zh-hans"):
            self.assertEqual(translation.gettext("Organizations"), "机构")
            self.assertEqual(translation.gettext("land parcels"), "地块")
            self.assertEqual(
                translation.ngettext("%(counter)s record", "%(counter)s records", 3) % {"counter": 3},
                "共 3 条记录",
            )


class ChinesePageTests(TestCase):
    def test_login_page_in_chinese(self):
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        response = client.get("/login/")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertIn('lang="zh-hans"', page)
        self.assertIn("登录", page)
        self.assertIn("登录您的账号", page)
        self.assertNotIn("Sign in to your account", page)

    def test_login_page_stays_english_without_the_cookie(self):
        response = Client().get("/login/", headers={"accept-language": "en"})
        self.assertContains(response, "Sign in to your account")
