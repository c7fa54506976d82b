"""The demo's residents' feedback and consultations (``civic demo``; the accessibility checks
use the consultations too)."""

from __future__ import annotations

import datetime as dt
import random

from civic.core import clock
from civic.exchange.demo import residents_sample
from civic.feedback.consultation_selectors import (
    consultation_answers_to_read,
    consultation_exists,
)
from civic.feedback.consultations import (
    consultation_create,
    consultation_moderate,
    consultation_period_set,
    consultation_publish,
    consultation_respond,
)
from civic.feedback.models import Feedback, Kind
from civic.feedback.services import feedback_act_on, feedback_give, feedback_moderate
from civic.forms.selectors import forms_published

#: How satisfied the demo's residents are (1 very dissatisfied … 5 very satisfied), as weights.
SATISFACTION_WEIGHTS = {5: 40, 4: 30, 3: 15, 2: 10, 1: 5}
#: The comments a few of them leave, with what the service owner does with each.
COMMENTS = (
    ("I had to look up my car's registration number twice.", "kept", "acted"),
    ("Het formulier was duidelijk en snel ingevuld.", "kept", ""),
    ("Why do you ask for my address when you already know it?", "kept", ""),
    ("Call me on 06-12345678 about this!", "", ""),
)
WHAT_WE_DID = "The licence plate is now read from the vehicle register: you only check it."


def feedback_demo_ensure(*, owner, months: int = 6, seed: int = 11) -> int:
    """Half a year of residents' ratings of the online services, once: "how satisfied are
    you?" after sending and "was this page useful?" at each step, a few comments, some kept by
    ``owner`` (the service owner), one acted on ("you said, we did"), one waiting. Given
    through the feedback services as residents give it, then dated back over the months.
    How many answers were made (0 when the demo has feedback already)."""
    if Feedback.objects.exists():
        return 0
    rng = random.Random(seed)
    now = clock.now()
    made = 0
    for form, schema in forms_published():
        if schema is None or form.service is None:
            continue
        steps = [step["key"] for step in schema["steps"]] + ["check"]
        for month in range(months):
            given = []
            for _ in range(rng.randint(12, 30)):
                rating = rng.choices(list(SATISFACTION_WEIGHTS), SATISFACTION_WEIGHTS.values())[0]
                given.append(
                    feedback_give(
                        kind=Kind.SATISFACTION, service_code=form.service.code, rating=rating
                    )
                )
            for _ in range(rng.randint(5, 15)):
                given.append(
                    feedback_give(
                        kind=Kind.PAGE_USEFUL,
                        service_code=form.service.code,
                        rating=int(rng.random() < 0.85),
                        step=rng.choice(steps),
                    )
                )
            for item in given:
                back = dt.timedelta(days=30 * month + rng.randint(0, 29), hours=rng.randint(0, 12))
                Feedback.objects.filter(pk=item.pk).update(received_at=now - back)
            made += len(given)
    codes = [form.service.code for form, schema in forms_published() if schema and form.service]
    code = "parking-permit" if "parking-permit" in codes else next(iter(codes), None)
    if code is None:
        return made
    for text, moderation, acted in COMMENTS:
        item = feedback_give(kind=Kind.PAGE_USEFUL, service_code=code, rating=0, comment=text)
        made += 1
        if moderation:
            feedback_moderate(user=owner, feedback_id=item.pk, keep=True)
        if acted:
            feedback_act_on(user=owner, feedback_id=item.pk, what_we_did=WHAT_WE_DID)
    return made


def consultations_demo_ensure(*, owner, residents: list[str] | None = None) -> bool:
    """Two consultations of ``owner``'s agency, made once: one run to its published result
    ("you said, we did") with the answers of ``residents`` (40 of the jurisdiction's by
    default), one open for the demo resident to answer. Whether they were made now."""
    if consultation_exists(slug="sunday-car-free-old-town"):
        return False
    now = clock.now()
    consultation_create(
        user=owner,
        slug="sunday-car-free-old-town",
        title={
            "en": "A car-free old town on Sundays",
            "nl": "Een autovrije binnenstad op zondag",
        },
        question={
            "en": "Should the old town be closed to cars on Sundays?",
            "nl": "Moet de binnenstad op zondag dicht voor auto's?",
        },
        options=[
            {"en": "Yes, every Sunday", "nl": "Ja, elke zondag"},
            {"en": "Only in summer", "nl": "Alleen in de zomer"},
            {"en": "No", "nl": "Nee"},
        ],
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
    )
    choices = ["1", "2", "2", "1", "3", "2", "1", "2", "3", "2"]
    residents = residents if residents is not None else residents_sample(count=40, seed=7)
    for i, number in enumerate(residents):
        consultation_respond(
            slug="sunday-car-free-old-town",
            personal_number=number,
            option=choices[i % len(choices)],
            text="Please keep the market accessible for delivery vans." if i == 3 else "",
        )
    consultation_period_set(
        slug="sunday-car-free-old-town",
        opens_at=now - dt.timedelta(days=45),
        closes_at=now - dt.timedelta(days=15),
    )
    for response in consultation_answers_to_read(slug="sunday-car-free-old-town"):
        consultation_moderate(
            user=owner, slug="sunday-car-free-old-town", response_id=response.pk, keep=True
        )
    consultation_publish(
        user=owner,
        slug="sunday-car-free-old-town",
        outcome={
            "en": "From June to September the old town is car-free on Sundays; delivery "
            "vans for the market may enter until 9:00.",
            "nl": "Van juni tot september is de binnenstad op zondag autovrij; "
            "bestelbussen voor de markt mogen tot 9.00 uur naar binnen.",
        },
    )
    consultation_create(
        user=owner,
        slug="playgrounds",
        title={"en": "Playgrounds for every neighbourhood", "nl": "Speeltuinen in elke wijk"},
        question={
            "en": "What would make the playground near you better?",
            "nl": "Wat zou de speeltuin bij u in de buurt beter maken?",
        },
        options=[],
        opens_at=now - dt.timedelta(days=2),
        closes_at=now + dt.timedelta(days=28),
    )
    return True
