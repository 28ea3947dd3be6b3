"""How long the assessment takes (DESIGN.md "Instrument quality (exact)"): reading time at
200 words a minute plus 5 seconds an answer, from the framework's own texts in the language
being read.

What counts is what a respondent reads: each area's name and description (a page), each
competency's name (a heading), each question's text and its choices (the level descriptors of
a `self` question, the options of a `knowledge` one, the frequency scale). A word is a run of
letters or digits, so "30 %" is one word and "AAAA-MM-DD" three.
"""

import re
from dataclasses import dataclass

from django.db.models import Prefetch

from ..models import Area, Competency, Framework, Frequency, LevelDescriptor, Option, Question

WORDS_PER_MINUTE = 200
SECONDS_PER_ANSWER = 5
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class LengthEstimate:
    words: int
    questions: int
    sections: int

    @property
    def exact_minutes(self) -> float:
        return self.words / WORDS_PER_MINUTE + self.questions * SECONDS_PER_ANSWER / 60

    @property
    def minutes(self) -> int:
        """Whole minutes, as invitations and the first page show them ("unos 18 minutos")."""
        return max(1, round(self.exact_minutes))


def words(text: str | None) -> int:
    return len(WORD.findall(text or ""))


def length_estimate(*, framework: Framework) -> LengthEstimate:
    """The estimate in the active language, in five queries."""
    areas = list(
        Area.objects.filter(framework=framework, competencies__questions__isnull=False).distinct()
    )
    competencies = list(
        Competency.objects.filter(framework=framework).prefetch_related(
            Prefetch("descriptors", queryset=LevelDescriptor.objects.order_by("level"))
        )
    )
    questions = list(
        Question.objects.filter(framework=framework).prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("position"))
        )
    )
    scale = sum(words(str(label)) for _value, label in Frequency.choices)
    descriptors = {c.pk: sum(words(d.text) for d in c.descriptors.all()) for c in competencies}
    total = sum(words(a.name) + words(a.description) for a in areas)
    total += sum(
        words(c.name) for c in competencies if any(q.competency_id == c.pk for q in questions)
    )
    for question in questions:
        total += words(question.text)
        if question.kind == Question.Kind.SELF:
            total += descriptors.get(question.competency_id, 0)
        elif question.kind == Question.Kind.KNOWLEDGE:
            total += sum(words(o.text) for o in question.options.all())
        else:
            total += scale
    return LengthEstimate(words=total, questions=len(questions), sections=len(areas))
