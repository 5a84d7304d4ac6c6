"""The 404 and 500 pages speak the reader's language (they were Django's English)."""

from __future__ import annotations

from django.test import RequestFactory, TestCase, override_settings
from django.utils import translation
from django.views.defaults import server_error


@override_settings(DEBUG=False)
class ErrorPageTests(TestCase):
    def setUp(self) -> None:
        # A request in Hindi leaves Hindi active in this thread: not for the next test.
        self.addCleanup(translation.activate, "en")

    def test_the_404_page_is_in_the_readers_language_inside_the_site(self) -> None:
        for language, heading in [("en", "Not found"), ("hi", "नहीं मिला")]:
            with self.subTest(language=language):
                response = self.client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
                self.assertContains(response, heading, status_code=404)
                self.assertContains(response, f'lang="{language}"', status_code=404)
                self.assertContains(response, 'href="/"', status_code=404)

    def test_the_500_page_is_in_the_readers_language_and_needs_no_context(self) -> None:
        request = RequestFactory().get("/")
        with translation.override("hi"):
            response = server_error(request)
        page = response.content.decode()
        self.assertEqual(response.status_code, 500)
        self.assertIn('lang="hi"', page)
        self.assertIn("कुछ गड़बड़ हो गई", page)
