"""A sequence a campaign runs cannot be deleted (409, naming the campaign); an unused one can."""

from campaigns.models import Sequence


def test_delete_is_refused_while_a_campaign_runs_it(api_client, campaign, make_sequence):
    response = api_client.delete("/api/sequences/intro/")

    assert response.status_code == 409
    assert response.json() == {"detail": "sequence intro is run by campaign(s) spring; give them another sequence "
                                         "(or delete them) first"}
    make_sequence("Spare")
    assert api_client.delete("/api/sequences/spare/").status_code == 204
    assert list(Sequence.objects.values_list("slug", flat=True)) == ["intro"]
