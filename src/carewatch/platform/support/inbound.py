"""POST /support/inbound-email/: a reply to an answer e-mail, forwarded by the mail
provider, lands in its thread. See docs/support.md for the provider set-up.

Authentication (INBOUND_EMAIL_SECRET, at least 16 characters; unset refuses all): the
header `X-Inbound-Secret: <secret>`, or `X-Inbound-Signature: sha256=<hex HMAC-SHA256 of
the raw body with the secret>`, or `?key=<secret>` in the URL for providers that only
take a URL. Body (at most MAX_BODY bytes): JSON or a form (urlencoded or multipart)
with `to`, `from`, `subject`, `text` (Mailgun's `recipient`, `sender`, `body-plain` and
Postmark's `To`, `From`, `TextBody` are read too). The reply is found by the signed
`reply+<token>@SUPPORT_REPLY_DOMAIN` recipient; the sender must be the thread's own
address; the quoted conversation is cut off. Answers are JSON: 200 stored; 400
malformed; 403 wrong secret; 413 too large; 406 refused for good (a forged or expired
address, another sender, nothing new: providers such as Mailgun do not retry a 406);
503 not set up.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from carewatch.platform.support import actions, links, replies
from carewatch.platform.support.models import Thread, Via

MAX_BODY = 256 * 1024  # a reply's words; attachments are not taken
# Our names (SendGrid Inbound Parse's), then Mailgun's and Postmark's for the same fields.
FIELDS = {
    "to": ("to", "recipient", "To"),
    "from": ("from", "sender", "From"),
    "text": ("text", "body-plain", "TextBody"),
}


def refuse(status: int, error: str) -> JsonResponse:
    return JsonResponse({"ok": False, "error": error}, status=status)


@csrf_exempt
@require_POST
def inbound_email(request: HttpRequest) -> JsonResponse:
    secret = settings.INBOUND_EMAIL_SECRET
    if not secret:
        return refuse(503, "Replies by e-mail are not set up here: set INBOUND_EMAIL_SECRET.")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_BODY + 1
    if length > MAX_BODY:
        return refuse(413, f"The message is over {MAX_BODY} bytes: send the text only.")
    body = request.body
    if len(body) > MAX_BODY:
        return refuse(413, f"The message is over {MAX_BODY} bytes: send the text only.")
    if not authentic(request, body, secret):
        return refuse(403, "Wrong or missing secret (X-Inbound-Secret or X-Inbound-Signature).")
    fields = read_fields(request, body)
    if fields is None:
        return refuse(400, "Send JSON or a form with the fields to, from and text.")
    return deliver(fields)


def authentic(request: HttpRequest, body: bytes, secret: str) -> bool:
    given = request.headers.get("X-Inbound-Secret") or request.GET.get("key") or ""
    if given:
        return hmac.compare_digest(given.encode(), secret.encode())
    signature = request.headers.get("X-Inbound-Signature", "")
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return bool(signature) and hmac.compare_digest(signature.encode(), expected.encode())


def read_fields(request: HttpRequest, body: bytes) -> dict[str, str] | None:
    data: Any
    if request.content_type == "application/json":
        try:
            data = json.loads(body)
        except ValueError:
            return None
    else:
        data = request.POST
    if not hasattr(data, "get"):
        return None
    fields = {}
    for name, keys in FIELDS.items():
        value = next((data.get(key) for key in keys if data.get(key)), None)
        if not isinstance(value, str):
            return None
        fields[name] = value
    return fields


def deliver(fields: dict[str, str]) -> JsonResponse:
    token = replies.token_from_recipients(fields["to"], settings.SUPPORT_REPLY_DOMAIN)
    thread = links.thread_for_reply_token(token) if token else None
    if thread is None:
        return refuse(406, "The reply address is not valid or has expired: nothing stored.")
    if replies.sender_address(fields["from"]) not in senders(thread):
        return refuse(406, "The sender is not the person this conversation is with.")
    text = replies.strip_quoted(fields["text"])
    if not text:
        return refuse(406, "The reply has no new words above the quoted message.")
    message = actions.add_user_message(thread, text, via=Via.EMAIL)
    return JsonResponse({"ok": True, "thread": thread.pk, "message": message.pk})


def senders(thread: Thread) -> set[str]:
    """The addresses a reply may come from: the thread's, the account's and its
    confirmed e-mail channels'."""
    addresses = {thread.email}
    user = thread.user
    if user is not None:
        addresses.add(user.email)
        channels = user.notify_channels.filter(kind="email", verified=True)
        addresses.update(str(c.value.get("email", "")) for c in channels)
    return {address.strip().lower() for address in addresses if address}
