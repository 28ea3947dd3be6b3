from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roster")

    def ready(self) -> None:
        from . import audit, checks, roles  # noqa: F401 (checks registers itself)

        audit.connect_signals()
        post_migrate.connect(roles.sync_role_groups, dispatch_uid="accounts.sync_role_groups")
