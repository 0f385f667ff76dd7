"""Editing a step's variants in the admin applies the API's rules: an unknown variable (or a subject on a
follow-up) is a field error on the form and nothing is saved."""

from campaigns.models import SequenceStep, StepVariant


def variant_form(step: SequenceStep, variant: StepVariant, **texts: str) -> dict[str, str]:
    return {
        "sequence": str(step.sequence_id), "position": str(step.position), "kind": step.kind,
        "wait_days": str(step.wait_days), "channel": "email",
        "variants-TOTAL_FORMS": "1", "variants-INITIAL_FORMS": "1", "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "1000", "variants-0-id": str(variant.pk), "variants-0-step": str(step.pk),
        "variants-0-label": variant.label, "variants-0-subject_template": texts.get("subject", variant.subject_template),
        "variants-0-body_template": texts.get("body", variant.body_template),
    }


def test_unknown_variable_is_shown_on_the_field_and_not_saved(admin_client, make_sequence):
    sequence = make_sequence()
    follow_up = sequence.ordered_steps()[2]
    variant = follow_up.variants.get()
    url = f"/admin/campaigns/sequencestep/{follow_up.pk}/change/"

    typo = admin_client.post(url, variant_form(follow_up, variant, body="Hi {{frist_name}}"))
    subject = admin_client.post(url, variant_form(follow_up, variant, subject="A new subject"))
    fine = admin_client.post(url, variant_form(follow_up, variant, body="Still there, {{first_name|friend}}?"))

    assert typo.status_code == 200
    assert "unknown variable {{frist_name}}; did you mean first_name?" in typo.context["inline_admin_formsets"][0]\
        .formset.forms[0].errors["body_template"]
    assert subject.status_code == 200
    assert set(subject.context["inline_admin_formsets"][0].formset.forms[0].errors) == {"subject_template"}
    assert fine.status_code == 302
    variant.refresh_from_db()
    assert variant.body_template == "Still there, {{first_name|friend}}?"
