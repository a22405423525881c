"""Scoring at every published cut-off (DESIGN.md "Facts from the field")."""

import pytest

from checkins import scoring
from common.errors import Invalid


def spread(total: int, count: int, low: int, high: int) -> list[int]:
    """`count` answers in [low, high] summing to `total`, front-loaded."""
    answers = [low] * count
    rest = total - low * count
    for i in range(count):
        add = min(high - low, rest)
        answers[i] += add
        rest -= add
    assert rest == 0 and sum(answers) == total
    return answers


@pytest.mark.parametrize(
    ("total", "band"),
    [(10, "building"), (46, "building"), (47, "strong"), (60, "strong")],
)
def test_barc10_remission_cut_off_at_47(total, band):
    result = scoring.score("BARC-10", spread(total, 10, 1, 6))
    assert (result.score, result.band) == (total, band)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands_at_5_10_15_20(total, band):
    # Keep item 9 at 0 so only the band is under test: fill items 3-8 first.
    answers = [0, 0, *spread(min(total, 18), 6, 0, 3), 0]
    rest = total - sum(answers)
    answers[0] = min(rest, 3)
    answers[1] = rest - answers[0]
    if answers[1] > 3:
        answers[8] = answers[1] - 3
        answers[1] = 3
    result = scoring.score("PHQ-9", answers)
    assert (result.score, result.band) == (total, band)


@pytest.mark.parametrize(
    ("item1", "item2", "positive"), [(0, 0, False), (1, 1, False), (2, 0, False), (2, 1, True), (3, 0, True), (3, 3, True)]
)
def test_phq2_is_the_first_two_items_positive_at_3(item1, item2, positive):
    result = scoring.score("PHQ-9", [item1, item2, 0, 0, 0, 0, 0, 0, 0])
    assert result.subscores["phq2"] == item1 + item2
    assert ("phq2_positive" in result.flags) is positive


@pytest.mark.parametrize(("item9", "flagged"), [(0, False), (1, True), (2, True), (3, True)])
def test_phq9_item9_above_zero_is_flagged(item9, flagged):
    result = scoring.score("PHQ-9", [0] * 8 + [item9])
    assert ("phq9_item9" in result.flags) is flagged


@pytest.mark.parametrize(
    ("total", "band", "evaluate"),
    [
        (0, "minimal", False),
        (4, "minimal", False),
        (5, "mild", False),
        (9, "mild", False),
        (10, "moderate", True),
        (14, "moderate", True),
        (15, "severe", True),
        (21, "severe", True),
    ],
)
def test_gad7_bands_at_5_10_15_and_evaluation_at_10(total, band, evaluate):
    result = scoring.score("GAD-7", spread(total, 7, 0, 3))
    assert (result.score, result.band) == (total, band)
    assert ("gad7_evaluate" in result.flags) is evaluate


def test_bam_subscores_use_the_published_items():
    # answer i (1-based) = a distinct value so every subscore is a checkable sum
    answers = [0] * 17
    for item, value in {
        1: 1,
        2: 2,
        3: 3,
        4: 4,
        5: 1,
        6: 2,
        7: 4,
        8: 3,
        9: 4,
        10: 1,
        11: 2,
        12: 3,
        13: 4,
        14: 1,
        15: 2,
        16: 3,
        17: 4,
    }.items():
        answers[item - 1] = value
    result = scoring.score("BAM", answers)
    assert result.subscores == {
        "use": 4 + 1 + 2,  # items 4+5+6
        "risk": 1 + 2 + 3 + 3 + 2 + 2,  # items 1+2+3+8+11+15
        "protective": 4 + 1 + 3 + 4 + 1 + 3,  # items 9+10+12+13+14+16
    }
    assert result.score == 7 and result.band == "use_reported" and result.flags == ["bam_use"]


def test_bam_without_use_reports_no_use():
    answers = [4] * 17
    answers[3] = answers[4] = answers[5] = 0
    result = scoring.score("BAM", answers)
    assert (result.score, result.band, result.flags) == (0, "no_use_reported", [])


@pytest.mark.parametrize(
    ("instrument", "answers", "message"),
    [
        ("PHQ-9", [0] * 8, "PHQ-9 has 9 questions; 8 answers were sent."),
        ("PHQ-9", [0] * 10, "PHQ-9 has 9 questions; 10 answers were sent."),
        ("BARC-10", [0] * 10, "Answer 1 is 0; it must be from 1 to 6."),
        ("BARC-10", [7] + [1] * 9, "Answer 1 is 7; it must be from 1 to 6."),
        ("GAD-7", [0] * 6 + [4], "Answer 7 is 4; it must be from 0 to 3."),
        ("GAD-7", [0] * 6 + [-1], "Answer 7 is -1; it must be from 0 to 3."),
        ("BAM", [0] * 16 + [5], "Answer 17 is 5; it must be from 0 to 4."),
        ("GAD-7", [0] * 6 + [True], "Answer 7 must be a whole number from 0 to 3."),
        ("GAD-7", [0] * 6 + [1.5], "Answer 7 must be a whole number from 0 to 3."),
        ("GAD-7", [0] * 6 + ["2"], "Answer 7 must be a whole number from 0 to 3."),
        ("GAD-7", "0000000", "Send the answers as a list of numbers."),
    ],
)
def test_wrong_count_or_out_of_range_answers_are_refused(instrument, answers, message):
    with pytest.raises(Invalid) as exc:
        scoring.score(instrument, answers)
    assert exc.value.field == "answers" and exc.value.message == message


def test_unknown_instrument_is_refused():
    with pytest.raises(Invalid) as exc:
        scoring.score("AUDIT", [0] * 10)
    assert exc.value.field == "instrument"


def test_every_band_has_a_plain_language_result():
    for instrument, bands in {
        "BARC-10": ["strong", "building"],
        "PHQ-9": ["minimal", "mild", "moderate", "moderately_severe", "severe"],
        "GAD-7": ["minimal", "mild", "moderate", "severe"],
        "BAM": ["use_reported", "no_use_reported"],
    }.items():
        for band in bands:
            assert scoring.plain_result(instrument, band)
