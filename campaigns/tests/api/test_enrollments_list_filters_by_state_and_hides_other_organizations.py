"""GET /api/enrollments/ lists the organization's enrollments, filtered by campaign, state and contact; unknown
filter values are a 400; another organization's enrollments are invisible (404 in detail and actions)."""

from campaigns.models import Enrollment, EnrollmentState
from campaigns.services import start_campaign


def test_filters_by_state_campaign_and_contact(api_client, campaign, contact_list, add_contact):
    ann = add_contact("ann@client.example", first_name="Ann", last_name="Lee")
    add_contact("bob@client.example")
    start_campaign(campaign, contact_list=contact_list)
    Enrollment.objects.get(contact=ann).pause(actor="alice")

    paused = api_client.get("/api/enrollments/?state=paused").json()
    active = api_client.get("/api/enrollments/?campaign=spring&state=active").json()
    of_ann = api_client.get(f"/api/enrollments/?contact={ann.pk}").json()

    assert paused["count"] == 1
    row = paused["results"][0]
    assert row["contact"] == {"id": ann.pk, "email": "ann@client.example", "name": "Ann Lee"}
    assert (row["campaign"], row["state"], row["step_index"], row["inbox"], row["emails_sent"]) == (
        "spring", "paused", 0, None, 0)
    assert [r["contact"]["email"] for r in active["results"]] == ["bob@client.example"]
    assert [r["id"] for r in of_ann["results"]] == [row["id"]]


def test_unknown_filter_values_are_refused(api_client, campaign):
    for query, field in (("state=asleep", "state"), ("campaign=nope", "campaign"), ("contact=abc", "contact")):
        response = api_client.get(f"/api/enrollments/?{query}")
        assert response.status_code == 400
        assert set(response.json()) == {field}


def test_detail_has_the_audit_trail_and_actions_move_it(api_client, campaign, contact_list, add_contact):
    add_contact("ann@client.example")
    start_campaign(campaign, contact_list=contact_list)
    enrollment = Enrollment.objects.get()

    paused = api_client.post(f"/api/enrollments/{enrollment.pk}/pause")
    resumed = api_client.post(f"/api/enrollments/{enrollment.pk}/resume")
    stopped = api_client.post(f"/api/enrollments/{enrollment.pk}/stop")
    stopped_again = api_client.post(f"/api/enrollments/{enrollment.pk}/stop")
    resumed_again = api_client.post(f"/api/enrollments/{enrollment.pk}/resume")

    assert (paused.status_code, paused.json()["state"]) == (200, "paused")
    assert (resumed.status_code, resumed.json()["state"]) == (200, "active")
    assert (stopped.status_code, stopped.json()["state"]) == (200, "stopped")
    assert (stopped_again.status_code, stopped_again.json()) == (
        409, {"detail": f"enrollment {enrollment.pk} is stopped; it has already ended"})
    assert resumed_again.status_code == 409
    detail = api_client.get(f"/api/enrollments/{enrollment.pk}/").json()
    assert [(t["from_state"], t["to_state"], t["actor"]) for t in detail["transitions"]] == [
        ("", "active", "system"), ("active", "paused", "alice"), ("paused", "active", "alice"),
        ("active", "stopped", "alice")]
    enrollment.refresh_from_db()
    assert enrollment.state == EnrollmentState.STOPPED


def test_another_organizations_enrollments_are_invisible(api_client, campaign, contact_list, add_contact,
                                                         other_organization_client):
    add_contact("ann@client.example")
    start_campaign(campaign, contact_list=contact_list)
    enrollment = Enrollment.objects.get()

    assert other_organization_client.get("/api/enrollments/").json()["count"] == 0
    assert other_organization_client.get(f"/api/enrollments/{enrollment.pk}/").status_code == 404
    assert other_organization_client.post(f"/api/enrollments/{enrollment.pk}/stop").status_code == 404
    assert other_organization_client.get("/api/enrollments/?campaign=spring").status_code == 400
    enrollment.refresh_from_db()
    assert enrollment.state == EnrollmentState.ACTIVE
