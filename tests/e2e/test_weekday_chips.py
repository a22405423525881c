"""Issue 13 (8): the reminder weekday chips were clipped on a phone and overlapped at 1280 px (a
grid of equal tracks narrower than "Wed" plus its box). Each chip keeps its own width, inside the
fieldset, beside the others, in English and in Spanish ("lun", "mié")."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.test_checkins import sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)

CHIPS = """() => {
  const box = document.querySelector('.choices--compact');
  const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  return {
    container: r(box),
    chips: [...box.querySelectorAll('label')].map(l => ({
      rect: r(l), text: l.innerText.trim(),
      // the label's own content fits it: nothing spills past its border
      fits: l.scrollWidth <= l.clientWidth + 1,
      textRight: l.querySelector('span').getBoundingClientRect().right,
    })),
  };
}"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


@pytest.mark.parametrize("width", [360, 390, 1280])
@pytest.mark.parametrize(("language", "days"), [("en", ["Sun", "Mon", "Wed"]), ("es", ["dom", "lun", "mié"])])
def test_reminder_weekday_chips_are_whole_and_apart(page, live_server, maya, width, language, days):
    maya.language = language
    maya.save(update_fields=["language"])
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_with_session(page, live_server, maya)
    page.goto(live_server.url + "/settings/reminders/")
    found = page.evaluate(CHIPS)
    left, top, right, bottom = found["container"]
    chips = found["chips"]
    assert len(chips) == 7 and all(day in [c["text"] for c in chips] for day in days), chips
    for chip in chips:
        x0, y0, x1, y1 = chip["rect"]
        assert left - 0.5 <= x0 and x1 <= right + 0.5 and top - 0.5 <= y0 and y1 <= bottom + 0.5, chip
        assert chip["fits"] and chip["textRight"] <= x1, chip  # the day's name is not cut off
        assert x1 - x0 >= 44 and y1 - y0 >= 44, chip  # still a tap target
    for i, a in enumerate(chips):
        for b in chips[i + 1 :]:
            assert not _overlap(a["rect"], b["rect"]), (a, b)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    screenshot(page, f"reminder-days-{language}-{width}")
