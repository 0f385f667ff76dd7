"""``GET /api/domains/<name>/`` with a NUL in the name answers 400, not a 500 from PostgreSQL."""


def test_domain_detail_with_nul_in_the_name_answers_400(api_client):
    response = api_client.get("/api/domains/acme%00mail.example/")

    assert response.status_code == 400
    assert api_client.get("/api/domains/unknown.example/").status_code == 404
