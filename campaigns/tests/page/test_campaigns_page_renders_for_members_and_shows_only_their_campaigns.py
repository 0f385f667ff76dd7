"""The Campaigns page (login required) lists the organization's campaigns with their status and figures, offers its
lists and sequences, and shows nothing of another organization's; an anonymous visitor is sent to log in."""

from django.test import Client

from campaigns.models import Campaign, Contact, ContactList, Enrollment, Sequence
from tenants.models import Organization


def test_member_sees_the_organizations_campaigns_lists_and_sequences(user, organization):
    spring = Campaign.objects.create(organization=organization, name="Spring launch", status=Campaign.Status.ACTIVE,
                                     send_days=[0, 1, 2, 3, 4], timezone="Europe/Paris")
    Campaign.objects.create(organization=organization, name="Autumn follow-up")
    leads = ContactList.objects.create(organization=organization, name="Leads")
    for i in range(2):
        contact = Contact.objects.create(organization=organization, email=f"lead{i}@example.com", first_name="Ada")
        contact.lists.add(leads)
        Enrollment.objects.create(organization=organization, campaign=spring, contact=contact)
    Sequence.objects.create(organization=organization, name="Three touches")
    other = Organization.objects.create(name="Globex", slug="globex")
    Campaign.objects.create(organization=other, name="Globex secret plan")
    ContactList.objects.create(organization=other, name="Globex prospects")
    Sequence.objects.create(organization=other, name="Globex sequence")
    client = Client()
    client.force_login(user)

    response = client.get("/campaigns/")

    assert response.status_code == 200
    html = response.content.decode()
    initial = response.context["initial"]
    assert [c["slug"] for c in initial["campaigns"]] == ["autumn-follow-up", "spring-launch"]
    spring_row = initial["campaigns"][1]
    assert {k: spring_row[k] for k in ("status", "send_days_text", "send_start", "send_end", "timezone")} == {
        "status": "active", "send_days_text": "mon-fri", "send_start": "09:00", "send_end": "17:00",
        "timezone": "Europe/Paris"}
    assert spring_row["figures"]["enrolled"] == 2
    assert spring_row["figures"]["by_state"] == {"active": 2}
    assert initial["lists"] == [{"name": "Leads", "slug": "leads", "contacts": 2}]
    assert initial["sequences"] == [{"name": "Three touches", "slug": "three-touches"}]
    assert "Globex" not in html
    assert 'data-slug="spring-launch"' in html
    assert '<span class="status status-active">active</span>' in html
    assert "2 enrolled · 0 sent · 0 replied" in html
    assert 'href="/campaigns/" aria-current="page">Campaigns</a>' in html
    assert "rex/campaigns.js" in html


def test_the_other_pages_link_to_the_campaigns_page(user):
    client = Client()
    client.force_login(user)

    html = client.get("/domains/").content.decode()

    assert 'href="/campaigns/">Campaigns</a>' in html


def test_a_member_without_campaigns_sees_the_empty_list(user):
    client = Client()
    client.force_login(user)

    response = client.get("/campaigns/")

    assert response.status_code == 200
    assert response.context["initial"]["campaigns"] == []
    assert "No campaigns yet" in response.content.decode()


def test_anonymous_visitor_is_sent_to_the_login_page(db):
    response = Client().get("/campaigns/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/campaigns/")
