def test_home_redirects_anonymous_to_login(client, db):
    """GIVEN nobody logged in WHEN they open the home page THEN they are sent to the login page."""
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
