from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Tenants"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from tenants.credentials import forget_on_change
        from tenants.models import ApiToken, Membership, Organization

        # Whatever an API key's cached credentials are made of (tenants.credentials): a change to any of them, a
        # revocation, a deactivation, a password change or a removed membership, is refused on the next request.
        for model in (ApiToken, Membership, Organization, get_user_model()):
            post_save.connect(forget_on_change, sender=model, dispatch_uid=f"credentials-{model._meta.label}-save")
            post_delete.connect(forget_on_change, sender=model,
                                dispatch_uid=f"credentials-{model._meta.label}-delete")
