from django.apps import AppConfig


class MailingConfig(AppConfig):
    name = "carewatch.kids.store.mailing"
    label = "mailing"
    verbose_name = "Kids store: new-product e-mails"

    def ready(self) -> None:
        from carewatch.kids.store.catalogue.signals import product_published
        from carewatch.kids.store.mailing import announce

        product_published.connect(announce.on_published, weak=False)
