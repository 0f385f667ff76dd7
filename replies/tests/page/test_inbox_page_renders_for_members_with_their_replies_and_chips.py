"""The Inbox page (login required, linked from the top bar) lists the organization's replies newest first with a
chip per category and its count, offers its inboxes and campaigns as filters, and shows nothing of another
organization's; an anonymous visitor is sent to log in; a user without an organization sees the empty state."""

from django.test import Client

from domains.tests.factories import add_inboxes, create_domain
from replies.tests.seed import inbound
from tenants.models import Organization


def test_member_sees_the_replies_newest_first_with_chips(user, seeded):
    other = Organization.objects.create(name="Globex", slug="globex")
    [globex_inbox] = add_inboxes(create_domain(other, "globex-mail.example", client="Globex"), local_part="sales")
    inbound(other, inbox=globex_inbox, from_address="secret@globex-client.example", subject="Globex secret",
            text="Only for Globex.", category="interested")
    client = Client()
    client.force_login(user)

    response = client.get("/inbox/")

    assert response.status_code == 200
    html = response.content.decode()
    initial = response.context["initial"]
    assert [r["id"] for r in initial["replies"]] == [seeded.lost.pk, seeded.carol.pk, seeded.bounce.pk,
                                                      seeded.bob.pk]
    assert initial["counts"]["total"] == 4 and initial["has_more"] is False
    chips = {c["value"]: c["count"] for c in response.context["categories"]}
    assert (chips["interested"], chips["bounce"], chips["needs_review"], chips["question"]) == (1, 1, 1, 0)
    assert 'data-category="interested"' in html and 'data-count-for="interested">1<' in html
    assert response.context["inboxes"] == sorted([seeded.first.address, seeded.second.address])
    assert response.context["campaigns"] == [{"slug": "autumn-outreach", "name": "Autumn outreach"}]
    assert "Sounds good, can we talk Thursday?" in html
    assert 'href="/inbox/" aria-current="page">Inbox</a>' in html
    assert "Globex secret" not in html and "globex-mail.example" not in html


def test_anonymous_visitor_is_sent_to_log_in(db):
    response = Client().get("/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_user_without_an_organization_sees_the_empty_state(db, django_user_model):
    loner = django_user_model.objects.create_user("loner", "loner@example.com", "pw")
    client = Client()
    client.force_login(loner)
    response = client.get("/inbox/")
    assert response.status_code == 200
    assert "No organization yet" in response.content.decode()
