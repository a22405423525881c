"""Scoring of the recovery questionnaires, pure functions (DESIGN.md "Facts from the field").

BARC-10: 10 items 1-6, total 10-60; >= 47 predicted sustained remission.
PHQ-9: 9 items 0-3, total 0-27, bands at 5/10/15/20; item 9 > 0 needs follow-up now; PHQ-2
(items 1+2) >= 3 is a positive screen. GAD-7: 7 items 0-3, total 0-21, bands at 5/10/15;
>= 10 warrants evaluation. BAM (revised scoring, 17 items 0-4): Use = 4+5+6,
Risk = 1+2+3+8+11+15, Protective = 9+10+12+13+14+16.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.errors import Invalid

from .models import Instrument


@dataclass(frozen=True)
class Result:
    score: int
    band: str
    flags: list[str] = field(default_factory=list)
    subscores: dict[str, int] = field(default_factory=dict)


# (number of items, lowest answer, highest answer)
SHAPES: dict[str, tuple[int, int, int]] = {
    Instrument.BARC10: (10, 1, 6),
    Instrument.PHQ9: (9, 0, 3),
    Instrument.GAD7: (7, 0, 3),
    Instrument.BAM: (17, 0, 4),
}

BARC10_REMISSION = 47
PHQ9_BANDS = ((20, "severe"), (15, "moderately_severe"), (10, "moderate"), (5, "mild"), (0, "minimal"))
GAD7_BANDS = ((15, "severe"), (10, "moderate"), (5, "mild"), (0, "minimal"))
PHQ2_POSITIVE = 3
GAD7_EVALUATE = 10
BAM_USE_ITEMS = (4, 5, 6)
BAM_RISK_ITEMS = (1, 2, 3, 8, 11, 15)
BAM_PROTECTIVE_ITEMS = (9, 10, 12, 13, 14, 16)


def validate_answers(instrument: str, answers: Any) -> list[int]:
    if instrument not in SHAPES:
        raise Invalid(gettext("Choose one of %(choices)s.") % {"choices": ", ".join(SHAPES)}, field="instrument")
    count, low, high = SHAPES[instrument]
    if not isinstance(answers, list):
        raise Invalid(gettext("Send the answers as a list of numbers."), field="answers")
    if len(answers) != count:
        raise Invalid(
            gettext("%(instrument)s has %(count)s questions; %(sent)s answers were sent.")
            % {"instrument": instrument, "count": count, "sent": len(answers)},
            field="answers",
        )
    for i, value in enumerate(answers, start=1):
        # bool is an int in Python; a true/false answer is a mistake, not a 1 or 0.
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(
                gettext("Answer %(n)s must be a whole number from %(low)s to %(high)s.") % {"n": i, "low": low, "high": high},
                field="answers",
            )
        if not low <= value <= high:
            raise Invalid(
                gettext("Answer %(n)s is %(value)s; it must be from %(low)s to %(high)s.")
                % {"n": i, "value": value, "low": low, "high": high},
                field="answers",
            )
    return list(answers)


def _band(total: int, bands: tuple[tuple[int, str], ...]) -> str:
    for cut, name in bands:
        if total >= cut:
            return name
    return bands[-1][1]


def score_barc10(answers: list[int]) -> Result:
    total = sum(answers)
    band = "strong" if total >= BARC10_REMISSION else "building"
    return Result(score=total, band=band)


def score_phq9(answers: list[int]) -> Result:
    total = sum(answers)
    flags = []
    phq2 = answers[0] + answers[1]
    if phq2 >= PHQ2_POSITIVE:
        flags.append("phq2_positive")
    if answers[8] > 0:
        flags.append("phq9_item9")
    return Result(score=total, band=_band(total, PHQ9_BANDS), flags=flags, subscores={"phq2": phq2})


def score_gad7(answers: list[int]) -> Result:
    total = sum(answers)
    flags = ["gad7_evaluate"] if total >= GAD7_EVALUATE else []
    return Result(score=total, band=_band(total, GAD7_BANDS), flags=flags)


def score_bam(answers: list[int]) -> Result:
    def total(items: tuple[int, ...]) -> int:
        return sum(answers[i - 1] for i in items)

    use, risk, protective = total(BAM_USE_ITEMS), total(BAM_RISK_ITEMS), total(BAM_PROTECTIVE_ITEMS)
    # DESIGN.md gives no cut-offs for Risk and Protective: they are reported, not banded.
    flags = ["bam_use"] if use > 0 else []
    return Result(
        score=use,
        band="use_reported" if use > 0 else "no_use_reported",
        flags=flags,
        subscores={"use": use, "risk": risk, "protective": protective},
    )


SCORERS = {
    Instrument.BARC10: score_barc10,
    Instrument.PHQ9: score_phq9,
    Instrument.GAD7: score_gad7,
    Instrument.BAM: score_bam,
}


def score(instrument: str, answers: Any) -> Result:
    validated = validate_answers(instrument, answers)
    return SCORERS[Instrument(instrument)](validated)


# Plain-language results for the member (and the care team).
BAND_TEXT: dict[tuple[str, str], str | Promise] = {
    (
        Instrument.BARC10,
        "strong",
    ): _("Your recovery capital looks strong: a score like yours (47 or more) goes with lasting recovery."),
    (
        Instrument.BARC10,
        "building",
    ): _(
        "You are building recovery capital. Look at the questions you scored lower on: those are places where support could help."
    ),
    (Instrument.PHQ9, "minimal"): _("Few or no signs of depression right now."),
    (Instrument.PHQ9, "mild"): _("Some signs of low mood. Worth keeping an eye on and talking about."),
    (
        Instrument.PHQ9,
        "moderate",
    ): _("Moderate signs of depression. Please talk with your clinician about how you have been feeling."),
    (
        Instrument.PHQ9,
        "moderately_severe",
    ): _("Strong signs of depression. Your clinician can help: please raise this with them soon."),
    (Instrument.PHQ9, "severe"): _("Severe signs of depression. Please reach out to your clinician today."),
    (Instrument.GAD7, "minimal"): _("Few or no signs of anxiety right now."),
    (Instrument.GAD7, "mild"): _("Some signs of anxiety. Worth keeping an eye on."),
    (Instrument.GAD7, "moderate"): _("Moderate anxiety. A score of 10 or more is worth a conversation with your clinician."),
    (Instrument.GAD7, "severe"): _("Severe anxiety. Please talk with your clinician soon."),
    (
        Instrument.BAM,
        "no_use_reported",
    ): _("No use in the past 30 days. Your risk and protective scores show what is helping and what to watch."),
    (
        Instrument.BAM,
        "use_reported",
    ): _(
        "You reported some use in the past 30 days. That is useful to talk through with your mentor or clinician, without judgement."
    ),
}


def plain_result(instrument: str, band: str) -> str:
    return str(BAND_TEXT.get((instrument, band), ""))


FLAG_TEXT = {
    "phq2_positive": _("PHQ-2 positive (3+)"),
    "phq9_item9": _("item 9 above 0"),
    "gad7_evaluate": _("10+: evaluate"),
    "bam_use": _("use reported"),
}


BAND_LABEL = {
    "strong": _("strong"),
    "building": _("building"),
    "minimal": _("minimal"),
    "mild": _("mild"),
    "moderate": _("moderate"),
    "moderately_severe": _("moderately severe"),
    "severe": _("severe"),
    "use_reported": _("use reported"),
    "no_use_reported": _("no use reported"),
}


def band_label(band: str) -> str:
    return str(BAND_LABEL.get(band, band.replace("_", " ")))


def flag_labels(flags: list[str]) -> list[str]:
    return [str(FLAG_TEXT.get(f, f.replace("_", " "))) for f in flags]
