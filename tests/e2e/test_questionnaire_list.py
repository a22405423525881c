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


ONE_LINE = """([sel, word]) => {
  return [...document.querySelectorAll(sel)].filter(h => h.textContent.includes(word)).map(h => {
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    const nodes = []; let text = '';
    while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
    const at = text.indexOf(word), end = at + word.length;
    const locate = i => { const [n, o] = nodes.filter(([, o]) => o <= i).pop(); return [n, i - o]; };
    const range = document.createRange();
    range.setStart(...locate(at));
    range.setEnd(...locate(end - 1)); range.setEnd(range.endContainer, range.endOffset + 1);
    return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
  });
}"""


@pytest.mark.parametrize("width", [320, 390])
def test_barc_10_never_breaks_at_its_hyphen(page, live_server, maya, width):
    """The questionnaire's name ("BARC-10") stays on one line in its card headings on a phone,
    in English and in Spanish, where the longer titles wrap."""
    page.set_viewport_size({"width": width, "height": 844})
    for language in ("en", "es"):
        maya.language = language
        maya.save(update_fields=["language"])
        page.context.clear_cookies()
        sign_in_with_session(page, live_server, maya)
        for path, sel in (("/assessments/", "h2"), ("/assessments/barc-10/", "h1"), ("/plan/", "h2")):
            page.goto(live_server.url + path)
            lines = page.evaluate(ONE_LINE, [sel, "BARC-10"])
            assert lines and all(n == 1 for n in lines), (language, path, lines)
