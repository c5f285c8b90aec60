"""Every page in every role's side navigation opens for that role and passes axe-core.

A separate module from the shell tests so that xdist (``--dist loadfile``) runs it beside them.
Each page is checked with axe once, as the first role whose menu has it; the status of every
menu entry is checked for every role: a menu offers no page that answers 403 or 404, except the
few listed in ``NOT_200`` with their reason.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROLES = ["admin", "planner", "auditor", "manager", "staff", "executive", "other_manager"]
# Menu entries that deliberately answer with another status for a role, and why.
NOT_200 = {
    # The audit team's 감사팀 member who is not (yet) a designated case handler gets the notice
    # that explains the designation, with status 403 (integrity: cases are sealed to handlers).
    ("auditor", "/integrity/cases/"): 403,
}
_AXE_CHECKED: set[str] = set()


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_page_opens_and_is_accessible(page, live_server, sign_in, assert_accessible, role):
    from hwallyu.core.navigation import sections_for
    from hwallyu.org.selectors import role_of

    user = sign_in(role)
    links = [item for section in sections_for(role_of(user)) for item in section["items"]]
    assert links, f"{role} has an empty menu"

    broken = []
    for link in links:
        url = link["url"]
        status = page.request.get(f"{live_server.url}{url}").status if url != "#" else "no such URL name"
        if status != NOT_200.get((role, url), 200):
            broken.append(f"{link['label']} {url}: {status}")
        elif url not in _AXE_CHECKED:
            _AXE_CHECKED.add(url)
            page.goto(f"{live_server.url}{url}")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert_accessible(f"{link['label']} ({url}) as {role}")
    assert not broken, f"menu entries for {role} that do not open:\n" + "\n".join(broken)
