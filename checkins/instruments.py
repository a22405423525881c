"""The questionnaires' wording for the forms: questions and answer labels, by instrument."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Instrument


@dataclass(frozen=True)
class Question:
    text: str
    options: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Form:
    instrument: str
    slug: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    every_days: int | None
    max_score: int
    score_label: str = "score"


AGREE = tuple(
    enumerate(
        ("Strongly disagree", "Disagree", "Somewhat disagree", "Somewhat agree", "Agree", "Strongly agree"),
        start=1,
    )
)
HOW_OFTEN = tuple(enumerate(("Not at all", "Several days", "More than half the days", "Nearly every day")))
DAYS = tuple(enumerate(("0 days", "1–3 days", "4–8 days", "9–15 days", "16–30 days")))
HOW_MUCH = tuple(enumerate(("Not at all", "Slightly", "Moderately", "Considerably", "Extremely")))
HEALTH = tuple(enumerate(("Excellent", "Very good", "Good", "Fair", "Poor")))

BARC10 = Form(
    instrument=Instrument.BARC10,
    slug="barc-10",
    title="Recovery capital (BARC-10)",
    intro="Ten statements about the strengths in your life that support recovery. How much do you agree with each?",
    questions=tuple(
        Question(text, AGREE)
        for text in (
            "There are more important things to me in life than using substances.",
            "In general I am happy with my life.",
            "I have enough energy to complete the tasks I set myself.",
            "I am proud of the community I live in and feel a part of it.",
            "I get lots of support from friends.",
            "I regard my life as challenging and fulfilling without the need for using drugs or alcohol.",
            "My living space has helped to drive my recovery journey.",
            "I take full responsibility for my actions.",
            "I am happy dealing with a range of professional people.",
            "I am making good progress on my recovery journey.",
        )
    ),
    every_days=30,
    max_score=60,
)

PHQ9 = Form(
    instrument=Instrument.PHQ9,
    slug="phq-9",
    title="Mood (PHQ-9)",
    intro="Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    questions=tuple(
        Question(text, HOW_OFTEN)
        for text in (
            "Little interest or pleasure in doing things",
            "Feeling down, depressed, or hopeless",
            "Trouble falling or staying asleep, or sleeping too much",
            "Feeling tired or having little energy",
            "Poor appetite or overeating",
            "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
            "Trouble concentrating on things, such as reading or watching television",
            "Moving or speaking so slowly that other people could have noticed — or the opposite: being so fidgety "
            "or restless that you have been moving around a lot more than usual",
            "Thoughts that you would be better off dead, or of hurting yourself in some way",
        )
    ),
    every_days=14,
    max_score=27,
)

GAD7 = Form(
    instrument=Instrument.GAD7,
    slug="gad-7",
    title="Worry and anxiety (GAD-7)",
    intro="Over the last 2 weeks, how often have you been bothered by the following problems?",
    questions=tuple(
        Question(text, HOW_OFTEN)
        for text in (
            "Feeling nervous, anxious, or on edge",
            "Not being able to stop or control worrying",
            "Worrying too much about different things",
            "Trouble relaxing",
            "Being so restless that it is hard to sit still",
            "Becoming easily annoyed or irritable",
            "Feeling afraid, as if something awful might happen",
        )
    ),
    every_days=14,
    max_score=21,
)

BAM = Form(
    instrument=Instrument.BAM,
    slug="bam",
    title="Recovery check (BAM)",
    intro="Seventeen questions about the past 30 days: what is helping your recovery and what makes it harder.",
    questions=(
        Question("In the past 30 days, how would you say your physical health has been?", HEALTH),
        Question("How many nights did you have trouble falling asleep or staying asleep?", DAYS),
        Question("How many days have you felt depressed, anxious, angry or very upset throughout most of the day?", DAYS),
        Question("How many days did you drink any alcohol?", DAYS),
        Question("How many days did you have at least 5 drinks (4 if you are a woman)?", DAYS),
        Question("How many days did you use any street drugs or misuse any prescription medications?", DAYS),
        # Item 7 asks which drug was used most; on a 0-4 form we ask how often it was used. It
        # is in none of the three subscores.
        Question("How many days did you use the drug you used most (if any)?", DAYS),
        Question("How many days were you bothered by cravings or urges to drink or use drugs?", DAYS),
        Question("How confident are you in your ability to stay away from alcohol and drugs in the next 30 days?", HOW_MUCH),
        Question("How many days did you attend self-help or mutual-support meetings to support your recovery?", DAYS),
        Question("How many days were you in situations or with people that might put you at a higher risk of using?", DAYS),
        Question("Does your religion or spirituality help support your recovery?", HOW_MUCH),
        Question("How many days did you spend much of the time at work, school, or doing volunteer work?", DAYS),
        Question("Do you have enough income (from legal sources) to pay for necessities?", HOW_MUCH),
        Question("How much have you been bothered by arguments or problems getting along with family or friends?", HOW_MUCH),
        Question("How many days did you contact or spend time with family or friends who support your recovery?", DAYS),
        Question("How satisfied are you with your progress toward your recovery goals?", HOW_MUCH),
    ),
    every_days=None,
    max_score=12,
    score_label="use score (days of drinking or drug use)",
)

FORMS: dict[str, Form] = {f.slug: f for f in (BARC10, PHQ9, GAD7, BAM)}
FORM_BY_INSTRUMENT: dict[str, Form] = {f.instrument: f for f in FORMS.values()}
