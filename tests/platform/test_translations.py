"""Hindi and Tamil: complete catalogues, pages served in the browser's language, the switcher.

Two catalogue folders: src/carewatch/locale (our strings, from makemessages) and
src/carewatch/locale_vendor (our translations of allauth's pages and Django's form
errors, which ship no or incomplete Hindi and Tamil).
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from carewatch.platform.web.translations import LOCALE_DIRS, compile_catalogues
from tests.base import BaseTestCase

PACKAGE_DIR = Path(settings.PACKAGE_DIR)
PO_FILES = sorted(po for folder in LOCALE_DIRS for po in folder.glob("*/LC_MESSAGES/*.po"))
OUR_PO_FILES = [po for po in PO_FILES if po.is_relative_to(PACKAGE_DIR / "locale")]
# %(name)s, %d and %% (python-format), {name} (brace-format) and HTML tags must survive translation.
PLACEHOLDER = re.compile(r"%%|%\(\w+\)[sd]|%[sd]|\{\w+\}|</?[a-z]+[^>]*>")
TRANSLATE_TAG = re.compile(
    r"""{%\s*(?:translate|trans)\s+(["'])(.*?)\1(?:\s+context\s+(["'])(.*?)\3)?[^%]*%}"""
)
TRANSLATED = ["hi", "ta"]


def catalogue(po_path: Path) -> Catalog:
    with po_path.open("rb") as po_file:
        return read_po(po_file, locale=po_path.parts[-3])


def entries(po_path: Path) -> list[Message]:
    return [message for message in catalogue(po_path) if message.id]


def pairs(message: Message) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs; a plural pairs msgstr[0] with msgid, the rest with msgid_plural."""
    if isinstance(message.id, str):
        return [(message.id, str(message.string))]
    singular, plural = message.id
    strings = list(message.string)
    return [(singular, strings[0])] + [(plural, string) for string in strings[1:]]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def template_literals() -> set[tuple[str, str | None]]:
    templates = [
        path
        for pattern in ("**/templates/**/*.html", "**/templates/**/*.txt")
        for path in PACKAGE_DIR.glob(pattern)
        if "static" not in path.parts
    ]
    found = set()
    for path in templates:
        for match in TRANSLATE_TAG.finditer(path.read_text(encoding="utf-8")):
            # Django looks a literal up with % doubled, as makemessages writes it.
            found.add((match.group(2).replace("%", "%%"), match.group(4)))
    return found


def test_it_has_a_hindi_and_a_tamil_catalogue_in_both_folders() -> None:
    found = {(po.parts[-4], po.parts[-3]) for po in PO_FILES}
    expected = {(folder.name, lang) for folder in LOCALE_DIRS for lang in TRANSLATED}
    assert expected <= found


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda path: "/".join(path.parts[-4:-2]))
def test_it_translates_every_entry_without_fuzzy_or_empty_strings(po_path: Path) -> None:
    untranslated = [
        message.id
        for message in entries(po_path)
        if message.fuzzy or not all(string.strip() for _, string in pairs(message))
    ]
    assert untranslated == []


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda path: "/".join(path.parts[-4:-2]))
def test_it_keeps_every_placeholder_and_tag_of_the_original(po_path: Path) -> None:
    broken = [
        (source, string)
        for message in entries(po_path)
        for source, string in pairs(message)
        if placeholders(source) != placeholders(string)
    ]
    assert broken == []


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda path: "/".join(path.parts[-4:-2]))
def test_it_declares_two_plural_forms_like_english(po_path: Path) -> None:
    assert catalogue(po_path).plural_forms == "nplurals=2; plural=(n != 1);"


@pytest.mark.parametrize("po_path", OUR_PO_FILES, ids=lambda path: path.parts[-3])
def test_it_has_every_string_our_templates_mark_for_translation(po_path: Path) -> None:
    literals = template_literals()
    assert len(literals) > 50  # the scan really found our templates
    known = catalogue(po_path)
    missing = [(text, context) for text, context in literals if known.get(text, context) is None]
    assert missing == [], "run makemessages and translate the new strings"


def test_it_compiles_both_folders_once_and_again_only_when_a_catalogue_changes(
    tmp_path: Path,
) -> None:
    folders = [tmp_path / "locale", tmp_path / "locale_vendor"]
    for folder, source in zip(folders, LOCALE_DIRS, strict=True):
        shutil.copytree(source / "ta", folder / "ta", ignore=shutil.ignore_patterns("*.mo"))
    first = compile_catalogues(folders)
    assert sorted(mo.parts[-4] for mo in first) == ["locale", "locale_vendor"]
    assert compile_catalogues(folders) == []
    changed = folders[1] / "ta" / "LC_MESSAGES" / "django.po"
    later = first[0].stat().st_mtime + 10
    os.utime(changed, (later, later))
    assert compile_catalogues(folders) == [changed.with_suffix(".mo")]


@pytest.mark.parametrize(
    ("language", "expected"), [("hi", "3\xa0दिन पहले"), ("ta", "3\xa0நாட்கள் முன்பு")]
)
def test_it_says_how_long_ago_in_hindi_and_tamil(language: str, expected: str) -> None:
    """Django's own catalogues leave "3 days ago" in English; locale_vendor fills the gap."""
    with override(language):
        assert naturaltime(timezone.now() - timedelta(days=3, minutes=1)) == expected


class PagesInTheBrowsersLanguageTests(BaseTestCase):
    def assert_in_language(self, url: str, language: str, english: str) -> None:
        with override(language):
            translated = gettext(english)
        self.assertNotEqual(translated, english, f"{english!r} has no {language} translation")
        response = Client(headers={"accept-language": language}).get(url)
        self.assertContains(response, translated)
        self.assertNotContains(response, english)
        self.assertContains(response, f'<html lang="{language}"')

    def test_it_serves_the_landing_page_in_hindi_and_in_tamil(self) -> None:
        for language in TRANSLATED:
            with self.subTest(language):
                self.assert_in_language("/", language, "Safer children, healthier eyes")

    def test_it_serves_allauths_sign_up_page_in_hindi_and_in_tamil(self) -> None:
        for language in TRANSLATED:
            with self.subTest(language):
                self.assert_in_language(reverse("account_signup"), language, "Password (again)")

    def test_it_serves_allauths_login_page_in_hindi_and_in_tamil(self) -> None:
        for language in TRANSLATED:
            with self.subTest(language):
                self.assert_in_language(reverse("account_login"), language, "Forgot your password?")

    def test_it_translates_djangos_password_rules_on_the_sign_up_page(self) -> None:
        self.assert_in_language(
            reverse("account_signup"), "ta", "Your password can’t be entirely numeric."
        )

    def test_it_serves_english_when_the_browser_asks_for_a_language_we_do_not_have(self) -> None:
        response = Client(headers={"accept-language": "fr"}).get("/")
        self.assertContains(response, "Safer children, healthier eyes")


class LanguageSwitcherTests(BaseTestCase):
    def switch_to(self, language: str) -> None:
        response = self.client.post(
            reverse("web:set_language"), {"language": language, "next": "/"}
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)

    def test_it_sets_the_language_cookie_and_the_next_page_is_tamil(self) -> None:
        self.switch_to("ta")
        self.assertEqual(self.client.cookies[settings.LANGUAGE_COOKIE_NAME].value, "ta")
        with override("ta"):
            tamil = gettext("Safer children, healthier eyes")
        self.assertContains(self.client.get("/"), tamil)

    def test_it_prefers_the_chosen_language_over_the_browsers(self) -> None:
        self.switch_to("ta")
        response = self.client.get("/", headers={"accept-language": "hi"})
        self.assertContains(response, '<html lang="ta"')

    def test_it_stores_a_logged_in_users_choice_on_the_account(self) -> None:
        self.login(self.alice)
        self.switch_to("hi")
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.language, "hi")

    def test_it_ignores_a_language_we_do_not_offer(self) -> None:
        self.login(self.alice)
        self.client.post(reverse("web:set_language"), {"language": "xx", "next": "/"})
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.language, "")
