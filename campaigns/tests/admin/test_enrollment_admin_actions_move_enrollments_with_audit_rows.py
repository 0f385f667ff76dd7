"""The enrollment changelist's Pause, Resume and Stop go through the state machine: each move is audited with
the admin user as actor, and the ones that may not move are reported, not moved."""

from campaigns.models import Enrollment, EnrollmentState, EnrollmentTransition
from campaigns.services import start_campaign

CHANGELIST = "/admin/campaigns/enrollment/"


def run_action(client, action: str, enrollments) -> list[tuple[str, str]]:
    # Followed, so the changelist shows (and uses up) this action's messages only.
    response = client.post(CHANGELIST, {"action": action, "_selected_action": [str(e.pk) for e in enrollments]},
                           follow=True)
    assert response.redirect_chain and response.status_code == 200
    return [(m.level_tag, m.message) for m in response.context["messages"]]


def test_pause_resume_and_stop_move_enrollments_and_audit_them(admin_client, campaign, contact_list, add_contact):
    add_contact("ann@client.example")
    add_contact("bob@client.example")
    start_campaign(campaign, contact_list=contact_list)
    ann, bob = Enrollment.objects.order_by("contact__email")
    ann.stop(actor="system")

    paused = run_action(admin_client, "pause_enrollments", [ann, bob])
    resumed = run_action(admin_client, "resume_enrollments", [bob])
    stopped = run_action(admin_client, "stop_enrollments", [bob])

    assert paused == [("success", "1 enrollment(s) paused."), ("warning", "not paused: ann@client.example (stopped)")]
    assert resumed == [("success", "1 enrollment(s) resumed.")]
    assert stopped == [("success", "1 enrollment(s) stopped.")]
    bob.refresh_from_db()
    assert bob.state == EnrollmentState.STOPPED
    trail = list(EnrollmentTransition.objects.filter(enrollment=bob).values_list("from_state", "to_state", "actor"))
    assert trail == [("", "active", "system"), ("active", "paused", "admin"), ("paused", "active", "admin"),
                     ("active", "stopped", "admin")]
