"""Who outreach goes to and what it says: campaigns, contact lists and contacts.

A contact belongs to one organization and may sit on several lists. Whether a contact may still be written to
is not stored here but in ``inboxes.Suppression`` (one place, checked before every send on every channel).
"""

from __future__ import annotations

from django.db import models
from django.utils.text import slugify

from tenants.models import Organization


class ContactList(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="contact_lists")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "slug"], name="unique_contact_list_slug")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)


class Contact(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="contacts")
    lists = models.ManyToManyField(ContactList, related_name="contacts", blank=True)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=32, blank=True, help_text="E.164, e.g. +447700900123")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    company = models.CharField(max_length=200, blank=True)
    # Whether the contact's data may be sent (pseudonymised) to an LLM; agents pass it as redact_pii(consent=…).
    llm_consent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "email"], condition=~models.Q(email=""),
                                    name="unique_contact_email"),
        ]

    def __str__(self) -> str:
        return self.email or self.phone or f"contact {self.pk}"

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @classmethod
    def of_organization(cls, organization: Organization, contact_id: int) -> Contact | None:
        """The organization's contact with this id, or None (deleted, or another organization's)."""
        return cls.objects.filter(pk=contact_id, organization=organization).first()


class Campaign(models.Model):
    """An outreach campaign: the message it sends and (through ``domains.Domain.campaign``) its sending domains."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        FINISHED = "finished", "Finished"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    from_name = models.CharField(max_length=100, blank=True)
    # Templates use {first_name}, {last_name}, {company}; a missing value renders as an empty string.
    subject_template = models.CharField(max_length=200, default="Quick question, {first_name}")
    body_template = models.TextField(default="Hi {first_name},\n\nWould a short call next week be useful?\n")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "slug"], name="unique_campaign_slug")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)

    @classmethod
    def named(cls, organization: Organization, name: str) -> Campaign:
        """The organization's campaign called ``name`` (by slug), created as a draft when it does not exist."""
        campaign, _ = cls.objects.get_or_create(organization=organization, slug=slugify(name),
                                                defaults={"name": name})
        return campaign
