from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from privacy.views import remind_pending_deletion

        # A person who signs in during the grace period must see that deletion is pending.
        user_logged_in.connect(remind_pending_deletion, dispatch_uid="privacy-pending-deletion")
