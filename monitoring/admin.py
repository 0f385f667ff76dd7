"""Admin: each organization's alert settings (the ops address, the webhook URL and its write-only secret), the
incidents (acknowledged and resolved through ``monitoring.services``) and the webhook deliveries (read-only)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import ReadOnlyAdminMixin
from monitoring import services
from monitoring.models import AlertSettings, Incident, WebhookDelivery


class AlertSettingsForm(forms.ModelForm):
    webhook_url = forms.URLField(required=False, max_length=500, assume_scheme="https",
                                 help_text="Receives each incident as a signed POST.")
    new_webhook_secret = forms.CharField(
        label="New webhook secret", required=False, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="whsec_ followed by base64 (Standard Webhooks). Stored encrypted and never shown; leave blank to "
                  "keep the current one.")

    class Meta:
        model = AlertSettings
        exclude = ["webhook_secret_encrypted"]

    def clean_new_webhook_secret(self) -> str:
        secret = self.cleaned_data.get("new_webhook_secret", "")
        if secret and not secret.startswith("whsec_"):
            raise forms.ValidationError("A Standard Webhooks secret starts with whsec_.")
        return secret

    def save(self, commit: bool = True) -> AlertSettings:
        settings_row = super().save(commit=False)
        if self.cleaned_data.get("new_webhook_secret"):
            settings_row.set_webhook_secret(self.cleaned_data["new_webhook_secret"])
        if commit:
            settings_row.save()
        return settings_row


@admin.register(AlertSettings)
class AlertSettingsAdmin(admin.ModelAdmin):
    form = AlertSettingsForm
    list_display = ["organization", "ops_email", "webhook_url", "has_secret"]

    @admin.display(boolean=True, description="Webhook secret set")
    def has_secret(self, obj: AlertSettings) -> bool:
        return bool(obj.webhook_secret_encrypted)


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["opened_at", "organization", "severity", "kind", "subject", "status", "reason"]
    list_filter = ["status", "severity", "kind"]
    search_fields = ["subject", "reason"]
    list_select_related = ["organization"]
    actions = ["acknowledge", "resolve"]

    @admin.action(description="Acknowledge the selected incidents")
    def acknowledge(self, request: HttpRequest, queryset: QuerySet[Incident]) -> None:
        done = sum(services.acknowledge(incident, by=request.user) for incident in queryset)
        self.message_user(request, f"Acknowledged {done} incident(s).", messages.SUCCESS)

    @admin.action(description="Resolve the selected incidents (resumes the inboxes they paused)")
    def resolve(self, request: HttpRequest, queryset: QuerySet[Incident]) -> None:
        done = sum(services.resolve(incident, by=request.user) for incident in queryset)
        self.message_user(request, f"Resolved {done} incident(s).", messages.SUCCESS)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "organization", "event", "url", "status", "attempts", "delivered_at"]
    list_filter = ["status", "event"]
    list_select_related = ["organization"]
