"""Starting a campaign makes it active and enrolls its list's contacts: a suppressed contact is skipped, and
starting (or enrolling) again adds nobody twice."""

from campaigns.models import Campaign, Enrollment, EnrollmentTransition
from inboxes.models import Suppression


def test_start_enrolls_the_list_once_and_skips_the_suppressed(api_client, organization, campaign, add_contact):
    ann = add_contact("ann@client.example", first_name="Ann")
    add_contact("bob@client.example")
    carol = add_contact("carol@client.example")
    Suppression.objects.create(organization=organization, email="bob@client.example",
                               reason=Suppression.Reason.UNSUBSCRIBE)

    first = api_client.post("/api/campaigns/spring/start", {"list": "leads"}, format="json")
    again = api_client.post("/api/campaigns/spring/start", {"list": "leads"}, format="json")

    assert first.status_code == 200, first.json()
    assert first.json() == {"campaign": "spring", "status": "active", "sequence": "intro", "list": "leads",
                            "enrolled": 2, "already_enrolled": 0, "suppressed": 1, "without_email": 0,
                            "sending_inboxes": 0}
    assert again.status_code == 200
    assert (again.json()["enrolled"], again.json()["already_enrolled"], again.json()["suppressed"]) == (0, 2, 1)
    assert set(Enrollment.objects.values_list("contact_id", flat=True)) == {ann.pk, carol.pk}
    assert EnrollmentTransition.objects.count() == 2
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.ACTIVE and campaign.started_at is not None

    enroll = api_client.post("/api/campaigns/spring/enroll", {"contacts": [ann.pk]}, format="json")
    assert enroll.json() == {"enrolled": 0, "already_enrolled": 1, "suppressed": 0, "without_email": 0}
    listed = api_client.get("/api/campaigns/spring/").json()["figures"]
    assert (listed["enrolled"], listed["by_state"]) == (2, {"active": 2})


def test_start_refusals_are_field_errors(api_client, organization):
    Campaign.objects.create(organization=organization, name="Bare")

    no_sequence = api_client.post("/api/campaigns/bare/start", {}, format="json")
    unknown_list = api_client.post("/api/campaigns/bare/start", {"list": "nope"}, format="json")
    unknown_contacts = api_client.post("/api/campaigns/bare/enroll", {"contacts": [999]}, format="json")

    assert (no_sequence.status_code, no_sequence.json()) == (
        400, {"sequence": ["campaign bare has no sequence; give it one first"]})
    assert (unknown_list.status_code, unknown_list.json()) == (
        400, {"list": ["no contact list 'nope' in this organization"]})
    assert (unknown_contacts.status_code, unknown_contacts.json()) == (400, {"contacts": ["unknown contacts: 999"]})
    assert api_client.post("/api/campaigns/nope/start", {}, format="json").status_code == 404
