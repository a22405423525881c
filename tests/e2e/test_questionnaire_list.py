"""Issue 13 (8): the list of a member's questionnaires sat flush against its card's border (the
list's reset took the card's padding away). Its text now starts inside the card, as other lists do,
on her progress page and on her clinician's timeline."""

from __future__ import annotations

import pytest
from django.utils import timezone

from checkins import services
from members.choices import CareRole
from members.models import CareTeamMember, ClientProfile
from tests.e2e.test_checkins import sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)

INSETS = """sel => {
  const list = document.querySelector(sel);
  const box = list.getBoundingClientRect();
  return [...list.querySelectorAll('li strong')].map(t => {
    const r = t.getBoundingClientRect();
    return {left: r.left - box.left, right: box.right - r.right, top: r.top - box.top};
  });
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_questionnaire_list_has_room_inside_its_card(page, live_server, maya, dr_reyes, width):
    services.assessment_record(actor=maya, client=maya, instrument="GAD-7", answers=[1] * 7)
    services.assessment_record(actor=maya, client=maya, instrument="PHQ-9", answers=[0] * 9)
    ClientProfile.objects.filter(user=maya).update(treatment_consent_at=timezone.now())
    CareTeamMember.objects.create(organization=maya.organization, client=maya, member=dr_reyes, role=CareRole.CLINICIAN)
    page.set_viewport_size({"width": width, "height": 844})
    for who, path in ((maya, "/progress/"), (dr_reyes, f"/clients/{maya.pk}/checkins/")):
        page.context.clear_cookies()
        sign_in_with_session(page, live_server, who)
        page.goto(live_server.url + path)
        insets = page.evaluate(INSETS, "ul.timeline-list.card")
        assert len(insets) == 2, (path, insets)
        for inset in insets:
            assert inset["left"] >= 12 and inset["top"] >= 4, (path, inset)  # not flush with the border
