from __future__ import annotations

from django.urls import reverse

from inboxes.models import Suppression


def test_suppression_added_in_the_admin_is_normalised_and_attributed(admin_client, admin_user, organization):
    response = admin_client.post(reverse("admin:inboxes_suppression_add"), {
        "organization": str(organization.pk), "email": "  Gone@Client.Example ", "phone": "",
        "reason": Suppression.Reason.MANUAL, "source": "", "contact": ""})

    assert response.status_code == 302, response.content.decode()[:2000]
    suppression = Suppression.objects.get()
    assert suppression.email == "gone@client.example"
    assert suppression.source == f"admin: {admin_user.username}"


def test_suppression_needs_an_email_or_a_phone(admin_client, organization):
    response = admin_client.post(reverse("admin:inboxes_suppression_add"), {
        "organization": str(organization.pk), "email": "", "phone": "", "reason": Suppression.Reason.MANUAL})

    assert response.status_code == 200
    assert "Give the e-mail address or the phone number to suppress." in response.content.decode()
    assert not Suppression.objects.exists()


def test_duplicate_suppression_is_refused_with_a_form_error(admin_client, organization):
    Suppression.objects.create(organization=organization, email="gone@client.example",
                               reason=Suppression.Reason.UNSUBSCRIBE)

    response = admin_client.post(reverse("admin:inboxes_suppression_add"), {
        "organization": str(organization.pk), "email": "GONE@client.example", "phone": "",
        "reason": Suppression.Reason.MANUAL})

    assert response.status_code == 200
    assert "gone@client.example is already suppressed in Acme Outbound (Unsubscribed, " in response.content.decode()
    assert Suppression.objects.count() == 1
