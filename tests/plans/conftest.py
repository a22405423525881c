import pytest

from members.services import consent_grant


@pytest.fixture
def plan_team(care_team, jordan, lee):  # type: ignore[no-untyped-def]
    """Maya's care team, with Jordan (her mentor) granted the `plan` scope; Lee has no grant."""
    consent_grant(client=care_team, grantee=jordan, scopes=["plan"], purpose="peer support")
    return care_team
