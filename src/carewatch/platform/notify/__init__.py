"""Notifications: tell a user through their channels (e-mail, SMS, push, webhook, inbox).

The Kids and Eyes apps call

    from carewatch.platform.notify import sending
    sending.send(user, _("Aarav left School"), text, url="/kids/...", event="kids.place_left",
                payload={"child": 7, "place": 3})

which writes one Notification row per enabled, confirmed channel of that user
(or only `kinds=["inbox", "push"]`), then delivers each after the transaction
commits: the inbox at once, the rest through the task queue with retries.

- `subject` and `text` may be lazy translations (gettext_lazy): they are
  rendered in the recipient's language (`user.language`) when the row is written.
- `url` is a path on this site ("/kids/children/7/"); e-mail, SMS, push and
  webhooks receive it absolute (SITE_URL).
- `event` is a dotted code ("kids.sos", "eyes.report_ready"): e-mail header,
  webhook header and push tag. `payload` is JSON for webhooks only.
- `html` is trusted markup for the e-mail body: escape anything users typed.
- To tell several people (every guardian of a family), call send for each.

`carewatch.platform.notify.inbox.unread_count(user)` gives the inbox badge.
Pages: notify:inbox, notify:channels (URL names in urls.py).
"""
