"""The help pages: index, articles in the visitor's language, search, and the page links."""

from __future__ import annotations

from unittest import mock

from django.conf import settings

from carewatch.platform.help import articles
from carewatch.platform.help.articles import Library
from tests.base import BaseTestCase


class HelpPagesTest(BaseTestCase):
    def in_language(self, code: str) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = code

    def test_it_lists_every_article_by_service_for_anyone(self) -> None:
        response = self.client.get("/help/")
        self.assertEqual(response.status_code, 200)
        for article in articles.library().in_language("en"):
            self.assertContains(response, f'href="{article.path}"')

    def test_it_shows_an_article_in_english_hindi_and_tamil(self) -> None:
        for code in ("en", "hi", "ta"):
            with self.subTest(code):
                self.in_language(code)
                expected = articles.library().get(code, "kids", "sos")
                assert expected is not None
                response = self.client.get("/help/kids/sos/")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, expected.title)
                self.assertContains(response, 'id="what"')
                self.assertContains(response, f'lang="{code}"')
                self.assertNotContains(response, "not yet in your language")

    def test_it_falls_back_to_english_with_a_note(self) -> None:
        english_only = Library(
            {k: a for k, a in articles.library().articles.items() if k[0] == "en"}
        )
        self.in_language("ta")
        with mock.patch("carewatch.platform.help.views.library", return_value=english_only):
            response = self.client.get("/help/eyes/grades/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="help-article" lang="en"')
        self.assertContains(response, "Proliferative")

    def test_an_unknown_article_or_service_is_not_found(self) -> None:
        for path in ("/help/kids/no-such-thing/", "/help/nope/sos/", "/help/kids/SOS/"):
            with self.subTest(path):
                self.assertEqual(self.client.get(path).status_code, 404)

    def test_the_signed_in_outsider_sees_the_same_public_help(self) -> None:
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get("/help/kids/live-map/").status_code, 200)

    def test_search_finds_an_english_query(self) -> None:
        response = self.client.get("/help/search/", {"q": "forgot password"})
        self.assertContains(response, 'href="/help/account/sign-in/#forgot"')

    def test_search_finds_a_hindi_query_and_answers_in_hindi(self) -> None:
        self.in_language("hi")
        response = self.client.get("/help/search/", {"q": "सुरक्षित जगह कैसे बनाएं"})
        hindi = articles.library().get("hi", "kids", "safe-places")
        assert hindi is not None
        self.assertContains(response, hindi.title)
        self.assertContains(response, 'href="/help/kids/safe-places/')

    def test_search_finds_a_tamil_query(self) -> None:
        self.in_language("ta")
        response = self.client.get("/help/search/", {"q": "அறிக்கை குறியீடு வரவில்லை"})
        self.assertContains(response, 'href="/help/eyes/report-access/')

    def test_search_answers_a_hostile_query_cleanly(self) -> None:
        for q in ("x" * 100_000, "\x00\x01\x1b[31m<script>", "%%%", "🙏" * 500, "   "):
            with self.subTest(q=q[:10]):
                response = self.client.get("/help/search/", {"q": q})
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "<script>")

    def test_search_without_a_query_shows_the_form(self) -> None:
        response = self.client.get("/help/search/")
        self.assertContains(response, 'name="q"')

    def test_a_page_links_to_the_help_that_explains_it(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(f"/kids/tracker/family/{self.family.pk}/places/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'href="/help/kids/safe-places/"')

    def test_every_page_links_to_the_help_centre_in_its_footer(self) -> None:
        response = self.client.get("/")
        self.assertContains(response, 'href="/help/"')
        self.assertNotContains(response, 'class="page-help"')

    def test_a_broken_help_file_costs_the_link_not_the_page(self) -> None:
        broken = mock.Mock(side_effect=articles.BadArticle("en/kids/sos.md: broken"))
        with (
            mock.patch("carewatch.platform.help.context_processors.library", broken),
            self.assertLogs("carewatch.platform.help.context_processors", "ERROR"),
        ):
            response = self.client.get("/kids/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'class="page-help"')
