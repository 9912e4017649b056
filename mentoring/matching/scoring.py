"""How well a mentor suits a mentee, and the reasons in Russian.

Features are plain dataclasses filled by `mentoring.matching.loader` from the
banks (and, later, from the questionnaires); each part of the score is in
[0, 1] and multiplied by the curator's weight for the run.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field, fields
from functools import cached_property

import numpy as np
from django.utils.translation import get_language, gettext, gettext_lazy


@functools.lru_cache(maxsize=1024)
def _translated(message: str, language: str | None) -> str:
    return gettext(message)


# The language of the run in progress (`in_one_language`): get_language()
# reads a thread- and task-local through asgiref, which cost more than the
# cached translation itself over the 10,000 sentences of a district's run.
_run_language: ContextVar[str | None] = ContextVar("_run_language", default=None)


def _(message: str) -> str:
    """`gettext` once per message and language: a district's run explains
    thousands of pairs with the same few sentences (issue 15)."""
    return _translated(message, _run_language.get() or get_language())


@contextmanager
def in_one_language():
    """Translate with the language active now until the block ends."""
    token = _run_language.set(get_language())
    try:
        yield
    finally:
        _run_language.reset(token)


STOP_WORDS = frozenset(
    {"для", "при", "про", "как", "что", "это", "или", "над", "под", "без", "все"}
)
WORD = re.compile(r"[а-яёa-z0-9]+")
# Experience gaps above this many years add nothing more to the score.
EXPERIENCE_SCALE_YEARS = 20
# For students: how many grades older a student mentor ideally is.
GRADE_SCALE = 4


def stem(word: str) -> str:
    """A crude Russian stem: enough to match «родителями» with «родителей»."""
    word = word.lower().replace("ё", "е")
    if len(word) <= 4:
        return word
    return word[: min(6, max(4, len(word) - 2))]


def stems(text: str) -> frozenset[str]:
    return frozenset(
        stem(w)
        for w in WORD.findall(text.lower())
        if len(w) >= 3 and w not in STOP_WORDS
    )


# Words that say nothing about what is asked: «подготовка к …», «работа с …».
GENERIC_WORDS = (
    "подготовка подготовке работа работы работе работой урок урока уроке уроков "
    "урокам уроках организация организации учебный учебной учебных школа школы "
    "школе обучающиеся обучающихся новые новых новом"
)
GENERIC_STEMS = frozenset(stem(w) for w in GENERIC_WORDS.split())


# Bank entries repeat the same requests and competencies (ticked from a
# questionnaire's list): each text is stemmed once per process.
@functools.lru_cache(maxsize=65536)
def meaningful(text: str) -> frozenset[str]:
    return stems(text) - GENERIC_STEMS


def plural(n: int, one: str, few: str, many: str) -> str:
    """Russian plural: 1 год, 2 года, 5 лет, 21 год."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


ORDINALS = ["первым", "вторым", "третьим", "четвёртым", "пятым"]


def ordinal(rank: int) -> str:
    if 1 <= rank <= len(ORDINALS):
        return ORDINALS[rank - 1]
    return _("%(rank)s-м по счёту") % {"rank": rank}


def lower_first(text: str) -> str:
    # «ФОП», «ОГЭ» keep their capitals: only a capital followed by a small letter.
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


@dataclass(frozen=True)
class Person:
    """What scoring and the rules know of one side of a pair."""

    person_id: int
    name: str
    organization_id: int
    category: str
    experience_years: int | None = None
    grade: int | None = None
    subjects: tuple[str, ...] = ()
    schedule: frozenset[str] = frozenset()
    # Labels of the consents missing for this role; empty when all are valid.
    missing_consents: tuple[str, ...] = ()
    is_minor: bool = False
    # Documents a form requires of this role that the person lacks:
    # (form code, only when the other side is a minor, what is wrong).
    document_problems: tuple[tuple[str, bool, str], ...] = ()

    def document_problem(self, form_code: str, *, other_is_minor: bool) -> str | None:
        for code, only_with_minor, problem in self.document_problems:
            if code == form_code and (other_is_minor or not only_with_minor):
                return problem
        return None


@dataclass(frozen=True)
class MentorFeatures(Person):
    competencies: tuple[str, ...] = ()
    forms: frozenset[str] = frozenset()
    free_places: int = 0

    @cached_property
    def offered_stems(self) -> frozenset[str]:
        return meaningful(" ".join((*self.competencies, *self.subjects)))

    @cached_property
    def subject_stems(self) -> tuple[frozenset[str], ...]:
        return tuple(meaningful(s) for s in self.subjects)


@dataclass(frozen=True)
class MenteeFeatures(Person):
    requests: tuple[str, ...] = ()
    desired_forms: frozenset[str] = frozenset()

    @cached_property
    def request_stems(self) -> tuple[frozenset[str], ...]:
        return tuple(meaningful(line) for line in self.requests)

    @cached_property
    def request_words(self) -> frozenset[str]:
        return frozenset().union(*self.request_stems)

    @cached_property
    def subject_stems(self) -> frozenset[str]:
        return meaningful(" ".join(self.subjects))


@dataclass(frozen=True)
class Weights:
    requests: float = 3.0
    subject: float = 2.0
    experience: float = 1.0
    form: float = 1.0
    schedule: float = 1.0
    preference: float = 2.0

    LABELS = {
        "requests": gettext_lazy("Запросы и компетенции"),
        "subject": gettext_lazy("Предмет"),
        "experience": gettext_lazy("Разница в стаже (классе)"),
        "form": gettext_lazy("Желаемая форма"),
        "schedule": gettext_lazy("Расписание"),
        "preference": gettext_lazy("Выбор после общей встречи"),
    }

    @classmethod
    def from_mapping(cls, data: Mapping[str, float]) -> Weights:
        return cls(**{f.name: float(data.get(f.name, 0)) for f in fields(cls)})

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    @property
    def all_zero(self) -> bool:
        return not any(self.as_dict().values())


@dataclass(frozen=True)
class Preferences:
    """Ranks collected after the group meeting: 1 is the first choice."""

    mentee_ranks: Mapping[int, Mapping[int, int]] = field(default_factory=dict)
    mentor_ranks: Mapping[int, Mapping[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Score:
    value: float
    reasons: tuple[str, ...]

    @property
    def explanation(self) -> str:
        return "; ".join(self.reasons) if self.reasons else _("общих признаков нет")


def _requests_part(mentor: MentorFeatures, mentee: MenteeFeatures):
    lines = mentee.request_stems
    if not lines:
        return 0.0, None
    offered = mentor.offered_stems
    hits = [i for i, line in enumerate(lines) if line & offered]
    if not hits:
        return 0.0, None

    def reason():
        return _("совпадают запросы: %(list)s") % {
            "list": ", ".join(lower_first(mentee.requests[i]) for i in hits)
        }

    return len(hits) / len(lines), reason


def _subject_part(mentor: MentorFeatures, mentee: MenteeFeatures):
    theirs = mentee.subject_stems or mentee.request_words
    common = [i for i, s in enumerate(mentor.subject_stems) if s & theirs]
    if not common:
        return 0.0, None

    def reason():
        names = ", ".join(mentor.subjects[i] for i in common)
        if mentee.subjects:
            return _("тот же предмет: %(subject)s") % {"subject": names}
        return _("предмет наставника: %(subject)s") % {"subject": names}

    return 1.0, reason


def _experience_part(mentor: MentorFeatures, mentee: MenteeFeatures):
    if mentor.experience_years is not None:
        years = mentor.experience_years
        gap = years - (mentee.experience_years or 0)

        def reason():
            return _("стаж наставника %(n)s %(word)s") % {
                "n": years,
                "word": plural(years, "год", "года", "лет"),
            }

        return max(0.0, min(gap / EXPERIENCE_SCALE_YEARS, 1.0)), reason
    if mentor.grade is not None and mentee.grade is not None:
        gap = mentor.grade - mentee.grade
        if gap <= 0:
            return 0.0, None

        def reason():
            return _("наставник старше на %(n)s %(word)s") % {
                "n": gap,
                "word": plural(gap, "класс", "класса", "классов"),
            }

        return min(gap / GRADE_SCALE, 1.0), reason
    return 0.0, None


def _form_part(mentee: MenteeFeatures, form_code: str, form_name: str):
    if form_code not in mentee.desired_forms:
        return 0.0, None
    return 1.0, lambda: _("наставляемый выбрал форму «%(form)s»") % {"form": form_name}


def _schedule_part(mentor: MentorFeatures, mentee: MenteeFeatures):
    if not mentor.schedule or not mentee.schedule:
        return 0.0, None
    common = mentor.schedule & mentee.schedule
    if not common:
        return 0.0, None
    share = len(common) / min(len(mentor.schedule), len(mentee.schedule))
    return (
        share,
        lambda: (
            _("совпадает свободное время: %(slots)s")
            % {"slots": ", ".join(sorted(common))}
        ),
    )


def _preference_part(
    mentor: MentorFeatures, mentee: MenteeFeatures, prefs: Preferences
):
    parts, reasons = [], []
    mentee_rank = prefs.mentee_ranks.get(mentee.person_id, {}).get(mentor.person_id)
    if mentee_rank:
        parts.append(1.0 / mentee_rank)
        reasons.append(
            lambda: (
                _("наставляемый выбрал этого наставника %(ordinal)s")
                % {"ordinal": ordinal(mentee_rank)}
            )
        )
    mentor_rank = prefs.mentor_ranks.get(mentor.person_id, {}).get(mentee.person_id)
    if mentor_rank:
        parts.append(1.0 / mentor_rank)
        reasons.append(
            lambda: (
                _("наставник выбрал этого наставляемого %(ordinal)s")
                % {"ordinal": ordinal(mentor_rank)}
            )
        )
    # Both sides count equally; a side that did not rank adds nothing.
    return sum(parts) / 2, reasons


def score_pair(
    mentor: MentorFeatures,
    mentee: MenteeFeatures,
    *,
    form_code: str,
    form_name: str,
    weights: Weights,
    preferences: Preferences | None = None,
    explain: bool = True,
) -> Score:
    """The weighted score of one pair and, if asked, every reason that counted.

    Explanations cost more than numbers: the engine scores every allowed pair
    without them and explains only the pairs it suggests.
    """
    preferences = preferences or Preferences()
    total, reasons = 0.0, []
    for weight, (value, reason) in (
        (weights.requests, _requests_part(mentor, mentee)),
        (weights.subject, _subject_part(mentor, mentee)),
        (weights.experience, _experience_part(mentor, mentee)),
        (weights.form, _form_part(mentee, form_code, form_name)),
        (weights.schedule, _schedule_part(mentor, mentee)),
    ):
        if weight and reason:
            total += weight * value
            reasons.append(reason)
    value, pref_reasons = _preference_part(mentor, mentee, preferences)
    if weights.preference and pref_reasons:
        total += weights.preference * value
        reasons.extend(pref_reasons)
    texts = tuple(r() for r in reasons) if explain else ()
    return Score(round(total, 4), texts)


def _stem_matrix(sets: list[frozenset[str]], vocabulary: dict[str, int]) -> np.ndarray:
    matrix = np.zeros((len(sets), max(len(vocabulary), 1)), dtype=np.float32)
    for row, found in enumerate(sets):
        matrix[row, [vocabulary[s] for s in found]] = 1.0
    return matrix


WORD_BITS = 64
OVERLAP_ROWS = 2048


def _bits(sets: list[frozenset[str]], vocabulary: dict[str, int]) -> np.ndarray:
    """Each set as a row of 64-bit words, one bit per stem of the vocabulary."""
    words = max(1, -(-len(vocabulary) // WORD_BITS))
    bits = np.zeros((len(sets), words), dtype=np.uint64)
    for row, found in enumerate(sets):
        mask = 0
        for word in found:
            mask |= 1 << vocabulary[word]
        for w in range(words):
            bits[row, w] = (mask >> (w * WORD_BITS)) & 0xFFFFFFFFFFFFFFFF
    return bits


def _overlap(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Whether row set i and column set j share a stem, for every (i, j).

    Sixty-four stems at a time with AND on words: a 0/1 matrix product did
    the same with a multiplication per stem and cost more than the solver.
    Blocks of rows keep each temporary small at a district's size.
    """
    found = np.zeros((rows.shape[0], columns.shape[0]), dtype=bool)
    for start in range(0, rows.shape[0], OVERLAP_ROWS):
        block = rows[start : start + OVERLAP_ROWS]
        part = found[start : start + OVERLAP_ROWS]
        for w in range(rows.shape[1]):
            part |= (block[:, w, None] & columns[None, :, w]) != 0
    return found


def score_matrix(
    mentors: Sequence[MentorFeatures],
    mentees: Sequence[MenteeFeatures],
    *,
    wished: np.ndarray,
    weights: Weights,
    preferences: Preferences | None = None,
) -> np.ndarray:
    """`score_pair` for every (mentee, mentor) at once, without the reasons.

    `wished[i, j]` says whether mentee i asked for the form the pair would
    work in. The same numbers as `score_pair` (a property test holds them
    equal), computed as matrix products: a school of a thousand takes
    milliseconds where a pair-by-pair loop takes seconds.
    """
    preferences = preferences or Preferences()
    n, m = len(mentees), len(mentors)
    total = np.zeros((n, m))
    vocabulary: dict[str, int] = {}
    for found in (
        *(x.offered_stems for x in mentors),
        *(s for x in mentors for s in x.subject_stems),
        *(x.subject_stems for x in mentees),
        *(x.request_words for x in mentees),
    ):
        for word in found:
            vocabulary.setdefault(word, len(vocabulary))
    # Each part is added into `total` in place: at 5,000 × 1,500 every
    # full-size temporary is 60 MB, and the run must stay within twice the
    # bare solver's memory (issue 15).
    if weights.requests:
        offered = _bits([x.offered_stems for x in mentors], vocabulary)
        lines = [line for x in mentees for line in x.request_stems]
        counts = np.array([len(x.request_stems) for x in mentees])
        if lines:
            # A last row of no hits for mentees with fewer lines than k.
            hits = np.vstack(
                (_overlap(_bits(lines, vocabulary), offered), np.zeros((1, m), bool))
            )
            # Each mentee's lines are consecutive: add the k-th line of every
            # mentee, k = 0, 1, … (a few passes, not a loop over lines).
            starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
            matched = np.zeros((n, m), dtype=np.uint8)
            for k in range(int(counts.max())):
                matched += hits[np.where(counts > k, starts + k, len(lines))]
            del hits
            # The first part: written over the zeros, without a full-size
            # temporary to add (60 MB and a pass at 5,000 × 1,500).
            np.multiply(
                matched, weights.requests / np.maximum(counts, 1)[:, None], out=total
            )
            del matched
    if weights.subject:
        theirs = [x.subject_stems or x.request_words for x in mentees]
        ours = [frozenset().union(*x.subject_stems) for x in mentors]
        common = _overlap(_bits(theirs, vocabulary), _bits(ours, vocabulary))
        np.add(total, weights.subject, out=total, where=common)
        del common
    if weights.experience:
        _add_experience(total, mentors, mentees, weight=weights.experience)
    if weights.form:
        np.add(total, weights.form, out=total, where=wished)
    if weights.schedule:
        _add_schedule(total, mentors, mentees, weight=weights.schedule)
    if weights.preference:
        row = {x.person_id: i for i, x in enumerate(mentees)}
        column = {x.person_id: j for j, x in enumerate(mentors)}
        for mentee_id, ranks in preferences.mentee_ranks.items():
            for mentor_id, rank in ranks.items():
                if mentee_id in row and mentor_id in column and rank:
                    total[row[mentee_id], column[mentor_id]] += (
                        weights.preference / rank / 2
                    )
        for mentor_id, ranks in preferences.mentor_ranks.items():
            for mentee_id, rank in ranks.items():
                if mentee_id in row and mentor_id in column and rank:
                    total[row[mentee_id], column[mentor_id]] += (
                        weights.preference / rank / 2
                    )
    return np.round(total, 4, out=total)


def _add_experience(total, mentors, mentees, *, weight: float) -> None:
    """Add the experience part: by years where the mentor has them, else by
    grade; one full-size temporary."""
    nan = float("nan")
    years = np.array(
        [nan if x.experience_years is None else x.experience_years for x in mentors]
    )
    mentee_years = np.array([x.experience_years or 0 for x in mentees], dtype=float)
    part = years[None, :] - mentee_years[:, None]
    by_grade = [
        j
        for j, x in enumerate(mentors)
        if x.experience_years is None and x.grade is not None
    ]
    part /= EXPERIENCE_SCALE_YEARS
    if by_grade:
        grades = np.array([mentors[j].grade for j in by_grade], dtype=float)
        mentee_grades = np.array(
            [nan if x.grade is None else x.grade for x in mentees], dtype=float
        )
        # A mentee without a grade gets NaN here, and nothing below.
        part[:, by_grade] = (grades[None, :] - mentee_grades[:, None]) / GRADE_SCALE
    # Clipped to [0, 1] with NaN (no grade) as 0 in two passes: fmax and fmin
    # take the number over a NaN; clip and nan_to_num took five.
    np.fmax(part, 0, out=part)
    np.fmin(part, 1, out=part)
    part *= weight
    total += part


def _add_schedule(total, mentors, mentees, *, weight: float) -> None:
    """Add shared free time over the shorter schedule, for every pair at once."""
    with_time = [j for j, x in enumerate(mentors) if x.schedule]
    free = [i for i, x in enumerate(mentees) if x.schedule]
    if not with_time or not free:
        return
    slots: dict[str, int] = {}
    for x in (*mentors, *mentees):
        for slot in x.schedule:
            slots.setdefault(slot, len(slots))
    ours = _stem_matrix([mentors[j].schedule for j in with_time], slots)
    theirs = _stem_matrix([mentees[i].schedule for i in free], slots)
    common = theirs @ ours.T
    shorter = np.minimum.outer(theirs.sum(axis=1), ours.sum(axis=1))
    total[np.ix_(free, with_time)] += weight * common / shorter
