"""The demo's consultations (``civic demo``; the accessibility checks use them too)."""

from __future__ import annotations

import datetime as dt

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
