"""The API's interactive documentation works under the site's Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_interactive_api_documentation(page, base_url, transactional_db):
    page.goto(base_url + "/api/v1/docs")
    expect(page.get_by_text("JO E-Tickets API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/checkout").first).to_be_visible()
