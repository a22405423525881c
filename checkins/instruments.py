"""The questionnaires' wording for the forms: questions and answer labels, by instrument."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Instrument


@dataclass(frozen=True)
class Question:
    text: str | Promise
    options: tuple[tuple[int, str | Promise], ...]


@dataclass(frozen=True)
class Form:
    instrument: str
    slug: str
    title: str | Promise
    intro: str | Promise
    questions: tuple[Question, ...]
    every_days: int | None
    max_score: int
    score_label: str | Promise = ""  # shown after the score when the score is not the plain sum


AGREE = tuple(
    enumerate(
        ("Strongly disagree", _("Disagree"), _("Somewhat disagree"), _("Somewhat agree"), _("Agree"), _("Strongly agree")),
        start=1,
    )
)
HOW_OFTEN = tuple(enumerate(("Not at all", _("Several days"), _("More than half the days"), _("Nearly every day"))))
DAYS = tuple(enumerate(("0 days", _("1–3 days"), _("4–8 days"), _("9–15 days"), _("16–30 days"))))
HOW_MUCH = tuple(enumerate(("Not at all", _("Slightly"), _("Moderately"), _("Considerably"), _("Extremely"))))
HEALTH = tuple(enumerate(("Excellent", _("Very good"), _("Good"), _("Fair"), _("Poor"))))

BARC10 = Form(
    instrument=Instrument.BARC10,
    slug="barc-10",
    title=_("Recovery capital (BARC-10)"),
    intro=_("Ten statements about the strengths in your life that support recovery. How much do you agree with each?"),
    questions=tuple(
        Question(text, AGREE)
        for text in (
            _("There are more important things to me in life than using substances."),
            _("In general I am happy with my life."),
            _("I have enough energy to complete the tasks I set myself."),
            _("I am proud of the community I live in and feel a part of it."),
            _("I get lots of support from friends."),
            _("I regard my life as challenging and fulfilling without the need for using drugs or alcohol."),
            _("My living space has helped to drive my recovery journey."),
            _("I take full responsibility for my actions."),
            _("I am happy dealing with a range of professional people."),
            _("I am making good progress on my recovery journey."),
        )
    ),
    every_days=30,
    max_score=60,
)

PHQ9 = Form(
    instrument=Instrument.PHQ9,
    slug="phq-9",
    title=_("Mood (PHQ-9)"),
    intro=_("Over the last 2 weeks, how often have you been bothered by any of the following problems?"),
    questions=tuple(
        Question(text, HOW_OFTEN)
        for text in (
            _("Little interest or pleasure in doing things"),
            _("Feeling down, depressed, or hopeless"),
            _("Trouble falling or staying asleep, or sleeping too much"),
            _("Feeling tired or having little energy"),
            _("Poor appetite or overeating"),
            _("Feeling bad about yourself — or that you are a failure or have let yourself or your family down"),
            _("Trouble concentrating on things, such as reading or watching television"),
            _(
                "Moving or speaking so slowly that other people could have noticed — or the opposite: being so fidgety "
                "or restless that you have been moving around a lot more than usual"
            ),
            _("Thoughts that you would be better off dead, or of hurting yourself in some way"),
        )
    ),
    every_days=14,
    max_score=27,
)

GAD7 = Form(
    instrument=Instrument.GAD7,
    slug="gad-7",
    title=_("Worry and anxiety (GAD-7)"),
    intro=_("Over the last 2 weeks, how often have you been bothered by the following problems?"),
    questions=tuple(
        Question(text, HOW_OFTEN)
        for text in (
            _("Feeling nervous, anxious, or on edge"),
            _("Not being able to stop or control worrying"),
            _("Worrying too much about different things"),
            _("Trouble relaxing"),
            _("Being so restless that it is hard to sit still"),
            _("Becoming easily annoyed or irritable"),
            _("Feeling afraid, as if something awful might happen"),
        )
    ),
    every_days=14,
    max_score=21,
)

BAM = Form(
    instrument=Instrument.BAM,
    slug="bam",
    title=_("Recovery check (BAM)"),
    intro=_("Seventeen questions about the past 30 days: what is helping your recovery and what makes it harder."),
    questions=(
        Question(_("In the past 30 days, how would you say your physical health has been?"), HEALTH),
        Question(_("How many nights did you have trouble falling asleep or staying asleep?"), DAYS),
        Question(_("How many days have you felt depressed, anxious, angry or very upset throughout most of the day?"), DAYS),
        Question(_("How many days did you drink any alcohol?"), DAYS),
        Question(_("How many days did you have at least 5 drinks (4 if you are a woman)?"), DAYS),
        Question(_("How many days did you use any street drugs or misuse any prescription medications?"), DAYS),
        # Item 7 asks which drug was used most; on a 0-4 form we ask how often it was used. It
        # is in none of the three subscores.
        Question(_("How many days did you use the drug you used most (if any)?"), DAYS),
        Question(_("How many days were you bothered by cravings or urges to drink or use drugs?"), DAYS),
        Question(_("How confident are you in your ability to stay away from alcohol and drugs in the next 30 days?"), HOW_MUCH),
        Question(_("How many days did you attend self-help or mutual-support meetings to support your recovery?"), DAYS),
        Question(_("How many days were you in situations or with people that might put you at a higher risk of using?"), DAYS),
        Question(_("Does your religion or spirituality help support your recovery?"), HOW_MUCH),
        Question(_("How many days did you spend much of the time at work, school, or doing volunteer work?"), DAYS),
        Question(_("Do you have enough income (from legal sources) to pay for necessities?"), HOW_MUCH),
        Question(_("How much have you been bothered by arguments or problems getting along with family or friends?"), HOW_MUCH),
        Question(_("How many days did you contact or spend time with family or friends who support your recovery?"), DAYS),
        Question(_("How satisfied are you with your progress toward your recovery goals?"), HOW_MUCH),
    ),
    every_days=None,
    max_score=12,
    score_label=_("use score (days of drinking or drug use)"),
)

FORMS: dict[str, Form] = {f.slug: f for f in (BARC10, PHQ9, GAD7, BAM)}
FORM_BY_INSTRUMENT: dict[str, Form] = {f.instrument: f for f in FORMS.values()}
