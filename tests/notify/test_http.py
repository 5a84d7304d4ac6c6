from __future__ import annotations

import socket
from unittest import mock

from django.test import SimpleTestCase, override_settings

from carewatch.platform.lib import http
from tests.conftest import free_port
from tests.notify.servers import HttpReceiver

PRIVATE_URLS = [
    "http://127.0.0.1/",
    "http://localhost:8000/hook",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://[::1]/",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://2130706433/",  # 127.0.0.1 written as one number
]


@override_settings(OUTGOING_HTTP_ALLOW_PRIVATE=False)
class PrivateAddressTests(SimpleTestCase):
    def test_it_refuses_every_private_loopback_and_link_local_address(self) -> None:
        for url in PRIVATE_URLS:
            with (
                self.subTest(url=url),
                self.assertRaisesMessage(http.UnsafeURL, "private or local"),
            ):
                http.check_url(url)

    def test_it_refuses_a_host_when_any_of_its_addresses_is_private(self) -> None:
        answers = [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, 443))
            for ip in ("93.184.215.14", "10.0.0.5")
        ]
        with (
            mock.patch("socket.getaddrinfo", return_value=answers),
            self.assertRaisesMessage(http.UnsafeURL, "10.0.0.5"),
        ):
            http.check_url("https://mixed.example.org/hook")

    def test_it_allows_public_addresses(self) -> None:
        answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443))]
        with mock.patch("socket.getaddrinfo", return_value=answers):
            http.check_url("https://hooks.example.org/hook")

    def test_it_refuses_the_request_before_anything_is_sent(self) -> None:
        with HttpReceiver() as receiver:
            with self.assertRaises(http.UnsafeURL):
                http.post_json(receiver.url("/hook"), {"a": 1})
            self.assertEqual(receiver.requests, [])

    def test_it_checks_again_when_connecting_so_dns_rebinding_fails(self) -> None:
        with HttpReceiver() as receiver:
            port = receiver.server.server_address[1]
            answers = [["93.184.215.14"], ["127.0.0.1"]]
            with (
                mock.patch.object(http, "resolve", side_effect=answers),
                self.assertRaisesMessage(http.UnsafeURL, "127.0.0.1"),
            ):
                http.post(f"http://rebind.example.org:{port}/", content=b"x")
            self.assertEqual(receiver.requests, [])

    def test_it_trusts_urls_from_the_operators_settings(self) -> None:
        with HttpReceiver() as receiver:
            response = http.post_json(receiver.url("/sms"), {"to": "+91"}, trusted=True)
        self.assertEqual(response.status, 201)

    def test_it_refuses_urls_that_are_not_plain_http(self) -> None:
        for url in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "ftp://example.org/",
            "https://",
            "https://user:pw@example.org/",
            "http://example.org:99999/",
            "//example.org/",
        ]:
            with self.subTest(url=url), self.assertRaises(http.UnsafeURL):
                http.check_url(url)

    def test_it_says_when_a_host_name_does_not_exist(self) -> None:
        with (
            mock.patch(
                "socket.getaddrinfo", side_effect=socket.gaierror(-2, "Name or service not known")
            ),
            self.assertRaisesMessage(http.UnsafeURL, "cannot be found"),
        ):
            http.check_url("https://no-such-host.example.org/")


@override_settings(OUTGOING_HTTP_ALLOW_PRIVATE=True)
class RequestTests(SimpleTestCase):
    def test_it_posts_compact_json_and_returns_any_status(self) -> None:
        with HttpReceiver(statuses=[302]) as receiver:
            response = http.post_json(receiver.url("/x"), {"text": "नमस्ते", "n": 1})
        self.assertEqual(response.status, 302, "redirects are not followed")
        [request] = receiver.requests
        self.assertEqual(request.body, '{"text":"नमस्ते","n":1}'.encode())
        self.assertEqual(request.headers["content-type"], "application/json")
        self.assertEqual(request.headers["user-agent"], http.USER_AGENT)

    def test_it_gives_up_on_a_server_that_does_not_answer(self) -> None:
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen()  # accepts connections into the backlog, never answers
            url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
            with self.assertRaisesMessage(http.RequestFailed, "within 0.2 seconds"):
                http.post(url, content=b"x", timeout=0.2)

    def test_it_reports_a_refused_connection_as_worth_retrying(self) -> None:
        with self.assertRaisesMessage(http.RequestFailed, "The connection failed"):
            http.post(f"http://127.0.0.1:{free_port()}/", content=b"x")
