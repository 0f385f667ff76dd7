"""The sequence admin keeps the API's rule: while contacts are in a sequence its steps may not be deleted or moved
there either (the formset's error says to copy it), and a sequence nobody is in may lose steps."""

from campaigns.models import SequenceStep
from campaigns.services import start_campaign


def steps_form(sequence, delete_last: bool) -> dict[str, str]:
    steps = sequence.ordered_steps()
    form = {"organization": str(sequence.organization_id), "name": sequence.name, "slug": sequence.slug,
            "steps-TOTAL_FORMS": str(len(steps)), "steps-INITIAL_FORMS": str(len(steps)),
            "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "1000"}
    for i, step in enumerate(steps):
        form.update({f"steps-{i}-id": str(step.pk), f"steps-{i}-sequence": str(sequence.pk),
                     f"steps-{i}-position": str(step.position), f"steps-{i}-kind": step.kind,
                     f"steps-{i}-wait_days": str(step.wait_days)})
    if delete_last:
        form[f"steps-{len(steps) - 1}-DELETE"] = "on"
    return form


def test_deleting_a_step_of_a_sequence_in_use_is_refused(admin_client, campaign, contact_list, add_contact):
    add_contact("ann@client.example")
    start_campaign(campaign, contact_list=contact_list)
    url = f"/admin/campaigns/sequence/{campaign.sequence_id}/change/"

    response = admin_client.post(url, steps_form(campaign.sequence, delete_last=True))

    assert response.status_code == 200
    assert "1 contacts are in this sequence" in str(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert SequenceStep.objects.count() == 3


def test_a_sequence_nobody_is_in_may_lose_a_step_in_the_admin(admin_client, make_sequence):
    sequence = make_sequence()

    response = admin_client.post(f"/admin/campaigns/sequence/{sequence.pk}/change/",
                                 steps_form(sequence, delete_last=True))

    assert response.status_code == 302
    assert SequenceStep.objects.count() == 2
