"""The campaign changelist's Start enrolls the campaign's list through the same service as the API; a campaign
that cannot start (no sequence) is reported as an error and left as it was; Pause and Resume follow."""

from campaigns.models import Campaign, Enrollment

CHANGELIST = "/admin/campaigns/campaign/"


def run_action(client, action: str, campaigns) -> list[tuple[str, str]]:
    # Followed, so the changelist shows (and uses up) this action's messages only.
    response = client.post(CHANGELIST, {"action": action, "_selected_action": [str(c.pk) for c in campaigns]},
                           follow=True)
    assert response.redirect_chain and response.status_code == 200
    return [(m.level_tag, m.message) for m in response.context["messages"]]


def test_start_pause_resume(admin_client, organization, campaign, contact_list, add_contact):
    add_contact("ann@client.example")
    campaign.contact_list = contact_list
    campaign.save()
    bare = Campaign.objects.create(organization=organization, name="Bare")

    started = run_action(admin_client, "start_campaigns", [campaign, bare])
    paused = run_action(admin_client, "pause_campaigns", [campaign])
    resumed = run_action(admin_client, "resume_campaigns", [campaign])

    assert ("error", "bare: not started: campaign bare has no sequence; give it one first") in started
    assert ("success", "spring: active; 1 enrolled, 0 already in, 0 suppressed, 0 without email; "
                       "0 sending inbox(es)") in started
    assert Enrollment.objects.filter(campaign=campaign).count() == 1
    assert paused == [("success", "spring: paused")]
    assert resumed == [("success", "spring: resumed")]
    bare.refresh_from_db()
    assert bare.status == Campaign.Status.DRAFT
